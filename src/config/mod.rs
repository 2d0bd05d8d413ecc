//! Configuration files: the spanned YAML tree, diagnostics, the column map, insurer
//! settings, thresholds (the working calendar's file is read by [`crate::calendar::load`]).

pub mod columns;
pub mod diagnostics;
pub(crate) mod json_schema;
pub(crate) mod reader;
pub(crate) mod settings;
pub(crate) mod thresholds;
pub(crate) mod yaml;

/// The largest config file policyqc reads (rule files, `settings.yaml`, `columns.yaml`,
/// `calendar.yaml`, the scorecard config): 4 MiB, far above any real one (the whole default
/// rule pack is under 100 KB), so that a wrong or hostile file stops at once.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// Reads a config file, refusing one larger than [`MAX_CONFIG_BYTES`] without reading it
/// all (the error is `FileTooLarge`; callers add the path).
pub fn read_capped(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(std::io::Error::new(
            std::io::ErrorKind::FileTooLarge,
            format!(
                "the file is larger than the {} MiB a config file may be",
                MAX_CONFIG_BYTES >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// [`read_capped`] as UTF-8 text.
pub fn read_capped_to_string(path: &std::path::Path) -> std::io::Result<String> {
    String::from_utf8(read_capped(path)?)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}
