//! The generated department: branches, teams of operators with their roles, authority levels,
//! speed and error propensity, and the authority matrix.
//!
//! Every team has the same ten posts (the roles of DOMAIN.md): two handover clerks who also
//! print, two entry clerks (reviewers; one also double-checks), three servicing clerks at
//! authority levels 1, 2 and 3 (the level-3 one also double-checks), two checkers (levels 2
//! and 3) and a binding clerk who also prints. Each branch has one or more teams, in
//! proportion to its share of the cases. One operator in fifty is a leaver: on the roster
//! with an `active_to` before the period, and given no work.
//!
//! Each operator has a **profile**: about 4% are clearly worse (3-5 times the average error
//! propensity, catch half as many errors when checking, 20-50% slower), about 6% clearly
//! better (a quarter of the errors, catch 40% more), the rest typical (0.6-1.4 times, speed
//! 0.75-1.35). `operator_profiles.csv` records them: the ground truth for scorecards.

use chrono::{Duration, NaiveDate};
use rand::RngExt;
use rand_chacha::ChaCha8Rng;

/// Branches and their share of the cases (percent).
pub const BRANCHES: [(&str, u32); 5] = [
    ("HQ", 34),
    ("North", 17),
    ("South", 17),
    ("East", 16),
    ("West", 16),
];

/// The posts of a team: roles (`;`-separated stage names) and authority level.
pub const TEAM_TEMPLATE: [(&str, i64); 10] = [
    ("intake;printing", 1),
    ("intake;printing", 1),
    ("review", 1),
    ("review;double_check", 2),
    ("entry", 1),
    ("entry", 2),
    ("entry;double_check", 3),
    ("double_check", 2),
    ("double_check", 3),
    ("binding;printing", 1),
];

/// The operators' given and family names (shared with the `fixtures/basic` builder).
pub const FIRST_NAMES: [&str; 30] = [
    "Anna", "Ben", "Chen", "Dana", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jia", "Kofi", "Lena",
    "Mateo", "Nina", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara", "Uma", "Viktor", "Wen",
    "Xavier", "Yara", "Zoe", "Li", "Marta", "Noah", "Olga",
];
pub const LAST_NAMES: [&str; 30] = [
    "Adler",
    "Brandt",
    "Costa",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Huang",
    "Ito",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quist",
    "Rossi",
    "Santos",
    "Tanaka",
    "Ueda",
    "Varga",
    "Wang",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Lindqvist",
    "Meyer",
    "Novak",
    "Olsen",
];

/// A stage of the six, as the roster's role names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    /// Handover clerk.
    Intake,
    /// Entry clerk (review).
    Review,
    /// Servicing clerk.
    Entry,
    /// Checker.
    DoubleCheck,
    /// Binding clerk.
    Binding,
    /// Printing (any role).
    Printing,
}

impl Role {
    /// The role's name in `operators.roles` and the tasks' `stage`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Intake => "intake",
            Self::Review => "review",
            Self::Entry => "entry",
            Self::DoubleCheck => "double_check",
            Self::Binding => "binding",
            Self::Printing => "printing",
        }
    }

    fn parse(s: &str) -> Self {
        match s {
            "intake" => Self::Intake,
            "review" => Self::Review,
            "entry" => Self::Entry,
            "double_check" => Self::DoubleCheck,
            "binding" => Self::Binding,
            "printing" => Self::Printing,
            other => unreachable!("unknown role {other} in TEAM_TEMPLATE"),
        }
    }
}

/// How an operator compares with the average.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// Clearly worse: several times the errors, fewer catches, slower.
    Worse,
    /// Clearly better.
    Better,
    /// Around the average.
    Typical,
}

impl Profile {
    /// The name in `operator_profiles.csv`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Worse => "worse",
            Self::Better => "better",
            Self::Typical => "typical",
        }
    }
}

/// One operator.
#[derive(Debug, Clone)]
pub struct Operator {
    /// `OP001`, ...
    pub id: String,
    /// A name.
    pub name: String,
    /// Index into [`Roster::teams`].
    pub team: usize,
    /// Roles, in template order.
    pub roles: Vec<Role>,
    /// Authority level.
    pub level: i64,
    /// First day on the roster.
    pub active_from: NaiveDate,
    /// Last day, for leavers.
    pub active_to: Option<NaiveDate>,
    /// Profile.
    pub profile: Profile,
    /// Multiplier of the chance to make an error (1 = average).
    pub propensity: f64,
    /// Multiplier of handling times (1 = average; higher is slower).
    pub speed: f64,
    /// Multiplier of the chance to catch an error when double-checking.
    pub catch_skill: f64,
}

impl Operator {
    /// Whether the operator holds a role.
    #[must_use]
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// The roles as written in `operators.roles`.
    #[must_use]
    pub fn roles_text(&self) -> String {
        self.roles
            .iter()
            .map(|r| r.name())
            .collect::<Vec<_>>()
            .join(";")
    }
}

/// A team of a branch.
#[derive(Debug, Clone)]
pub struct Team {
    /// `HQ-A`, `North-B`, ...
    pub name: String,
    /// Index into [`BRANCHES`].
    pub branch: usize,
    /// Active members (indices into [`Roster::ops`]).
    pub members: Vec<usize>,
}

/// The whole department.
#[derive(Debug, Clone)]
pub struct Roster {
    /// Operators, in id order.
    pub ops: Vec<Operator>,
    /// Teams.
    pub teams: Vec<Team>,
    /// Teams of each branch (indices into `teams`), parallel to [`BRANCHES`].
    pub branch_teams: Vec<Vec<usize>>,
}

impl Roster {
    /// About `operators` operators (rounded to whole teams of ten, at least one team per
    /// branch) plus one leaver per fifty, all active from before `start`.
    pub fn generate(operators: u32, start: NaiveDate, rng: &mut ChaCha8Rng) -> Self {
        let n_teams = (operators.div_ceil(10) as usize).max(BRANCHES.len());
        // Teams per branch by largest remainder over the branch shares, at least one each.
        let total: u32 = BRANCHES.iter().map(|b| b.1).sum();
        let extra = n_teams - BRANCHES.len();
        let exact: Vec<f64> = BRANCHES
            .iter()
            .map(|b| f64::from(b.1) / f64::from(total) * extra as f64)
            .collect();
        let mut per: Vec<usize> = exact.iter().map(|x| 1 + x.floor() as usize).collect();
        let mut order: Vec<usize> = (0..BRANCHES.len()).collect();
        order.sort_by(|&a, &b| {
            (exact[b] - exact[b].floor())
                .total_cmp(&(exact[a] - exact[a].floor()))
                .then(a.cmp(&b))
        });
        let mut left = n_teams - per.iter().sum::<usize>();
        for i in order {
            if left == 0 {
                break;
            }
            per[i] += 1;
            left -= 1;
        }

        let mut names: Vec<String> = FIRST_NAMES
            .iter()
            .flat_map(|f| LAST_NAMES.iter().map(move |l| format!("{f} {l}")))
            .collect();
        shuffle(&mut names, rng);
        let mut roster = Roster {
            ops: Vec::new(),
            teams: Vec::new(),
            branch_teams: vec![Vec::new(); BRANCHES.len()],
        };
        let new_op = |roster: &mut Roster,
                      team: usize,
                      roles: &str,
                      level: i64,
                      active_to: Option<NaiveDate>,
                      rng: &mut ChaCha8Rng| {
            let n = roster.ops.len();
            let (profile, propensity, speed, catch_skill) = draw_profile(rng);
            let active_from = start - Duration::days(rng.random_range(60..3000_i64));
            roster.ops.push(Operator {
                id: format!("OP{:03}", n + 1),
                name: names[n % names.len()].clone(),
                team,
                roles: roles.split(';').map(Role::parse).collect(),
                level,
                active_from,
                active_to,
                profile,
                propensity,
                speed,
                catch_skill,
            });
            if active_to.is_none() {
                roster.teams[team].members.push(n);
            }
        };
        for (b, &(branch, _)) in BRANCHES.iter().enumerate() {
            for k in 0..per[b] {
                let team = roster.teams.len();
                let letter = char::from(b'A' + (k % 26) as u8);
                roster.teams.push(Team {
                    name: format!("{branch}-{letter}"),
                    branch: b,
                    members: Vec::new(),
                });
                roster.branch_teams[b].push(team);
                for (roles, level) in TEAM_TEMPLATE {
                    new_op(&mut roster, team, roles, level, None, rng);
                }
            }
        }
        // Leavers: one per fifty operators, in round-robin teams, gone a month before the period.
        let leavers = roster.ops.len() / 50;
        for i in 0..leavers {
            let team = (i * 7) % roster.teams.len();
            let (roles, level) = TEAM_TEMPLATE[4 + i % 3];
            new_op(
                &mut roster,
                team,
                roles,
                level,
                Some(start - Duration::days(30)),
                rng,
            );
        }
        roster
    }
}

/// Fisher-Yates with `u32` draws (portable).
pub fn shuffle<T>(v: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..v.len()).rev() {
        let j = rng.random_range(0..=i as u32) as usize;
        v.swap(i, j);
    }
}

fn draw_profile(rng: &mut ChaCha8Rng) -> (Profile, f64, f64, f64) {
    let u: f64 = rng.random();
    let r = |rng: &mut ChaCha8Rng, lo: f64, hi: f64| lo + (hi - lo) * rng.random::<f64>();
    if u < 0.04 {
        (Profile::Worse, r(rng, 3.0, 5.0), r(rng, 1.2, 1.5), 0.5)
    } else if u < 0.10 {
        (Profile::Better, r(rng, 0.2, 0.3), r(rng, 0.75, 0.95), 1.4)
    } else {
        (
            Profile::Typical,
            r(rng, 0.6, 1.4),
            r(rng, 0.75, 1.35),
            r(rng, 0.8, 1.2),
        )
    }
}

/// Payouts: referred to finance, with benefit fields.
pub const PAYOUTS: [&str; 4] = [
    "surrender",
    "partial_withdrawal",
    "policy_loan",
    "maturity_payment",
];
/// Changes that underwriting must see.
pub const UNDERWRITING: [&str; 2] = ["sum_increase", "reinstatement"];
/// Changes that must leave the premium alone.
pub const NON_FINANCIAL: [&str; 2] = ["address_change", "beneficiary_change"];

/// The change types with their share of a month (percent), supporting documents required and
/// whether the endorsement needs the company seal.
pub const CHANGE_TYPES: [(&str, u32, i64, bool); 10] = [
    ("address_change", 24, 1, false),
    ("beneficiary_change", 11, 3, true),
    ("sum_increase", 7, 4, true),
    ("sum_decrease", 6, 2, true),
    ("payment_mode_change", 11, 2, false),
    ("reinstatement", 5, 3, true),
    ("policy_loan", 13, 2, true),
    ("partial_withdrawal", 9, 2, true),
    ("surrender", 9, 3, true),
    ("maturity_payment", 5, 2, true),
];

/// Authority bands: `(up_to or None = no limit, min level)`, ascending.
pub type Bands = &'static [(Option<i64>, i64)];

/// The authority matrix in cents: per change type, bands `(up_to or None = no limit, level)`.
/// A policy loan has no open-ended band: above 1,000,000.00 nobody may approve one.
pub const AUTHORITY: [(&str, Bands); 5] = [
    (
        "maturity_payment",
        &[(Some(10_000_000), 1), (Some(50_000_000), 2), (None, 3)],
    ),
    (
        "partial_withdrawal",
        &[(Some(3_000_000), 1), (Some(10_000_000), 2), (None, 3)],
    ),
    (
        "policy_loan",
        &[
            (Some(2_000_000), 1),
            (Some(10_000_000), 2),
            (Some(100_000_000), 3),
        ],
    ),
    ("sum_increase", &[(Some(2_000_000), 1), (None, 2)]),
    (
        "surrender",
        &[(Some(5_000_000), 1), (Some(20_000_000), 2), (None, 3)],
    ),
];

/// The bands of a change type (empty: no level requirement).
#[must_use]
pub fn bands(change_type: &str) -> Bands {
    AUTHORITY
        .iter()
        .find(|(t, _)| *t == change_type)
        .map_or(&[], |(_, b)| b)
}

/// The level the matrix requires for an amount: `Some(0)` when there is no requirement,
/// `None` when the amount is above every band.
#[must_use]
pub fn required_level(change_type: &str, amount: Option<i64>) -> Option<i64> {
    let b = bands(change_type);
    let Some(amount) = amount else { return Some(0) };
    if b.is_empty() {
        return Some(0);
    }
    b.iter()
        .find(|(up, _)| up.is_none_or(|u| amount <= u))
        .map(|&(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn two_hundred_operators_in_twenty_teams_with_every_role() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let r = Roster::generate(200, NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(), &mut rng);
        // 20 teams of 10, plus 200 / 50 = 4 leavers.
        assert_eq!(r.teams.len(), 20);
        assert_eq!(r.ops.len(), 204);
        assert_eq!(r.ops.iter().filter(|o| o.active_to.is_some()).count(), 4);
        // Every branch has a team; HQ (34%) has the most.
        assert!(r.branch_teams.iter().all(|t| !t.is_empty()));
        assert!(r.branch_teams[0].len() > r.branch_teams[1].len());
        for t in &r.teams {
            assert_eq!(t.members.len(), 10, "{}", t.name);
        }
        let worse = r.ops.iter().filter(|o| o.profile == Profile::Worse).count();
        let better = r
            .ops
            .iter()
            .filter(|o| o.profile == Profile::Better)
            .count();
        assert!(
            (1..=20).contains(&worse) && (2..=30).contains(&better),
            "{worse} {better}"
        );
    }

    #[test]
    fn authority_bands_are_inclusive_and_loans_have_a_ceiling() {
        // surrender: <= 50,000.00 level 1; 50,000.01 level 2; above 200,000.00 level 3.
        assert_eq!(required_level("surrender", Some(5_000_000)), Some(1));
        assert_eq!(required_level("surrender", Some(5_000_001)), Some(2));
        assert_eq!(required_level("surrender", Some(20_000_001)), Some(3));
        assert_eq!(required_level("policy_loan", Some(100_000_001)), None);
        assert_eq!(required_level("address_change", Some(1)), Some(0));
        assert_eq!(required_level("surrender", None), Some(0));
    }
}
