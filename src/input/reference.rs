//! The reference tables rules look things up in: the operator roster and the authority matrix.

use std::collections::BTreeMap;

use polars::prelude::*;

use super::{TableData, column_str};

/// The operator roster, as lookup vectors (`operators` table).
#[derive(Debug, Clone, Default)]
pub struct Roster {
    /// Operator ids.
    pub ids: Vec<String>,
    /// Authority levels (empty = none).
    pub levels: Vec<Option<i64>>,
    /// Roles as `;entry;review;` (leading and trailing `;`, so a role matches as `;role;`).
    pub roles: Vec<String>,
    /// Teams.
    pub teams: Vec<Option<String>>,
}

impl Roster {
    /// Builds the roster from the `operators` table (later rows of a repeated id are ignored).
    pub fn from_table(t: &TableData) -> PolarsResult<Self> {
        let ids = column_str(&t.df, "operator_id");
        let roles = column_str(&t.df, "roles");
        let teams = column_str(&t.df, "team");
        let levels: Vec<Option<i64>> = t.df.column("authority_level")?.i64()?.iter().collect();
        let mut r = Roster::default();
        for (i, id) in ids.into_iter().enumerate() {
            let Some(id) = id else { continue };
            if r.ids.contains(&id) {
                continue;
            }
            let role_list = roles[i].clone().unwrap_or_default();
            let normal: Vec<&str> = role_list
                .split(';')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            r.ids.push(id);
            r.levels.push(levels[i]);
            r.roles.push(format!(";{};", normal.join(";")));
            r.teams.push(teams[i].clone());
        }
        Ok(r)
    }
}

/// One band of the authority matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// Upper end (inclusive), in cents; `None` = no limit.
    pub up_to: Option<i64>,
    /// Lowest authority level allowed.
    pub min_level: i64,
}

/// The authority matrix (`authority` table).
#[derive(Debug, Clone, Default)]
pub struct AuthorityMatrix {
    bands: BTreeMap<String, Vec<Band>>,
}

impl AuthorityMatrix {
    /// Builds the matrix; bands of a change type are sorted by `up_to` (no limit last).
    pub fn from_table(t: &TableData) -> PolarsResult<Self> {
        let types = column_str(&t.df, "change_type");
        let up: Vec<Option<i64>> = t.df.column("up_to_amount")?.i64()?.iter().collect();
        let lv: Vec<Option<i64>> = t.df.column("min_authority_level")?.i64()?.iter().collect();
        let mut bands: BTreeMap<String, Vec<Band>> = BTreeMap::new();
        for i in 0..types.len() {
            if let (Some(ct), Some(level)) = (&types[i], lv[i]) {
                bands.entry(ct.clone()).or_default().push(Band {
                    up_to: up[i],
                    min_level: level,
                });
            }
        }
        for list in bands.values_mut() {
            list.sort_by_key(|b| (b.up_to.is_none(), b.up_to));
        }
        Ok(Self { bands })
    }

    /// Bands per change type, in evaluation order.
    pub fn by_change_type(&self) -> impl Iterator<Item = (&String, &Vec<Band>)> {
        self.bands.iter()
    }
}
