//! Same arguments, same bytes: across runs and thread counts, in both formats.

use std::path::Path;

use crate::{generate, generate_env};

fn files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("data folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn assert_same(a: &Path, b: &Path) {
    let fa = files(a);
    assert_eq!(fa, files(b));
    for f in &fa {
        let (x, y) = (
            std::fs::read(a.join(f)).expect("read"),
            std::fs::read(b.join(f)).expect("read"),
        );
        assert!(x == y, "{f} differs");
    }
}

#[test]
fn same_arguments_give_byte_identical_files_whatever_the_thread_count() {
    for format in ["csv", "parquet"] {
        // 20,000 cases: three chunks of 8,192 on some days, so chunking is exercised.
        let args = [
            "--cases",
            "20000",
            "--seed",
            "5",
            "--start",
            "2026-10-01",
            "--days",
            "10",
            "--format",
            format,
        ];
        let one = generate_env(
            &args,
            &[("RAYON_NUM_THREADS", "1"), ("POLARS_MAX_THREADS", "1")],
        );
        let two = generate_env(
            &args,
            &[("RAYON_NUM_THREADS", "2"), ("POLARS_MAX_THREADS", "2")],
        );
        assert_eq!((one.code, two.code), (0, 0), "{}{}", one.stderr, two.stderr);
        // cases, tasks, operators, authority + calendar.yaml, settings.yaml, labels.csv,
        // operator_profiles.csv
        assert_eq!(files(&one.dir).len(), 8, "{:?}", files(&one.dir));
        assert_same(&one.dir, &two.dir);
    }
}

#[test]
fn another_seed_gives_other_data_and_no_partial_files_are_left() {
    let a = generate(&["--cases", "500", "--seed", "1", "--start", "2026-10-01"]);
    let b = generate(&["--cases", "500", "--seed", "2", "--start", "2026-10-01"]);
    let read = |d: &Path| std::fs::read(d.join("cases.csv")).expect("cases");
    assert_ne!(read(&a.dir), read(&b.dir));
    assert!(
        files(&a.dir).iter().all(|f| !f.ends_with(".partial")),
        "{:?}",
        files(&a.dir)
    );
}
