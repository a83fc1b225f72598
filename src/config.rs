//! A settings file for `dajian` (`--config FILE` or `DAJIAN_CONFIG`): TOML
//! whose keys are the settings' names, e.g.
//!
//! ```toml
//! db = "postgres://dajian@db.internal/dajian"
//! listen = "0.0.0.0:8080"
//! workers = 2
//! secure_cookies = true
//! log = "info,sqlx=warn"
//! ```
//!
//! A command-line flag wins over an environment variable, which wins over
//! the file: the file's values become the `DAJIAN_…` variables that are not
//! already set, before the command line is parsed.

use std::path::Path;

/// The keys a file may set, with their environment variables.
pub const KEYS: [(&str, &str); 12] = [
    ("db", "DAJIAN_DB"),
    ("device", "DAJIAN_DEVICE"),
    ("ocr_backend", "DAJIAN_OCR_BACKEND"),
    ("rules", "DAJIAN_RULES"),
    ("models", "DAJIAN_MODELS"),
    ("listen", "DAJIAN_LISTEN"),
    ("workers", "DAJIAN_WORKERS"),
    ("lease_secs", "DAJIAN_LEASE_SECS"),
    ("max_queued", "DAJIAN_MAX_QUEUED"),
    ("secure_cookies", "DAJIAN_SECURE_COOKIES"),
    ("log", "DAJIAN_LOG"),
    ("page_threads", "RAYON_NUM_THREADS"),
];

/// What is wrong with a settings file; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: {source}")]
    Toml { path: String, source: toml::de::Error },
    #[error("{path}: unknown setting '{key}' (known: {known})")]
    UnknownKey { path: String, key: String, known: String },
    #[error("{path}: '{key}' must be a string, a number or true/false, not {found}")]
    BadValue { path: String, key: String, found: &'static str },
}

/// The settings of `path` as `(variable, value)` pairs, or an error naming
/// the file and the key.
pub fn read(path: &Path) -> Result<Vec<(&'static str, String)>, ConfigError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: name.clone(), source })?;
    let table: toml::Table = text.parse().map_err(|source| ConfigError::Toml { path: name.clone(), source })?;
    let mut out = vec![];
    for (key, value) in table {
        let Some((_, var)) = KEYS.iter().find(|(k, _)| *k == key) else {
            let known: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
            return Err(ConfigError::UnknownKey { path: name, key, known: known.join(", ") });
        };
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Integer(i) => i.to_string(),
            toml::Value::Boolean(b) => b.to_string(),
            other => return Err(ConfigError::BadValue { path: name, key, found: other.type_str() }),
        };
        out.push((*var, text));
    }
    Ok(out)
}

/// The file named by `--config FILE` / `--config=FILE` in `args`, else by
/// `DAJIAN_CONFIG`.
pub fn path_from(args: &[String]) -> Option<String> {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--config" {
            return it.next().cloned();
        }
        if let Some(p) = a.strip_prefix("--config=") {
            return Some(p.to_string());
        }
    }
    std::env::var("DAJIAN_CONFIG").ok().filter(|p| !p.is_empty())
}

/// Applies the file to the environment: each of its settings whose
/// variable is not set already. Call before any thread starts.
pub fn apply(path: &Path) -> Result<(), ConfigError> {
    for (var, value) in read(path)? {
        if std::env::var_os(var).is_none() {
            // SAFETY: called at the start of main, before any other thread
            // exists that could read the environment.
            unsafe { std::env::set_var(var, value) };
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> tempfile::NamedTempFile {
        let f = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(f.path(), text).unwrap();
        f
    }

    #[test]
    fn a_file_gives_each_setting_its_variable() {
        let f = file("db = \"sqlite://x.sqlite\"\nworkers = 3\nsecure_cookies = true\n");
        let mut got = read(f.path()).unwrap();
        got.sort();
        assert_eq!(got, vec![("DAJIAN_DB", "sqlite://x.sqlite".into()), ("DAJIAN_SECURE_COOKIES", "true".into()), ("DAJIAN_WORKERS", "3".into())]);
    }

    #[test]
    fn an_unknown_setting_names_the_file_and_the_key() {
        let f = file("wokers = 3\n");
        let err = read(f.path()).unwrap_err().to_string();
        assert!(err.contains(&f.path().display().to_string()) && err.contains("'wokers'"), "{err}");
        let f = file("workers = [1]\n");
        assert!(read(f.path()).unwrap_err().to_string().contains("'workers' must be"));
        let f = file("workers = \n");
        assert!(read(f.path()).is_err());
    }

    #[test]
    fn the_file_is_found_from_the_flag_in_either_form() {
        let args = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(path_from(&args(&["dajian", "--config", "a.toml", "serve"])), Some("a.toml".into()));
        assert_eq!(path_from(&args(&["dajian", "serve", "--config=b.toml"])), Some("b.toml".into()));
    }
}
