//! Logs: `tracing` to stderr, filtered by `DAJIAN_LOG` (default `warn`;
//! e.g. `DAJIAN_LOG=info,sqlx=warn`), with every ID number masked on its
//! way out. Code logs masked values already ([`crate::types::mask_id`]);
//! the writer is the safety net for what slips through — an error message
//! quoting a form, a third-party crate's debug output.

use std::io::Write;

use tracing_subscriber::fmt::MakeWriter;

use crate::types::mask_ids;

/// Wraps a [`MakeWriter`]: each event is buffered, masked with
/// [`mask_ids`] and written whole.
#[derive(Debug, Clone)]
pub struct Masked<M>(pub M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Masked<M> {
    type Writer = MaskedEvent<M::Writer>;
    fn make_writer(&'a self) -> Self::Writer {
        MaskedEvent { buf: Vec::new(), inner: self.0.make_writer() }
    }
}

/// One event on its way out.
pub struct MaskedEvent<W: Write> {
    buf: Vec<u8>,
    inner: W,
}

impl<W: Write> Write for MaskedEvent<W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<W: Write> Drop for MaskedEvent<W> {
    fn drop(&mut self) {
        let text = mask_ids(&String::from_utf8_lossy(&self.buf));
        let _ = self.inner.write_all(text.as_bytes());
        let _ = self.inner.flush();
    }
}

/// The subscriber `dajian` installs, writing to `writer`; colours only
/// when `ansi` (a terminal), never in files or captured logs.
pub fn subscriber<M>(writer: M, filter: &str, ansi: bool) -> impl tracing::Subscriber + Send + Sync
where
    M: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(filter).unwrap_or_else(|_| "warn".into()))
        .with_writer(Masked(writer))
        .with_ansi(ansi)
        .finish()
}

/// Installs the process-wide subscriber: stderr, `DAJIAN_LOG` or `warn`.
pub fn init() {
    let filter = std::env::var("DAJIAN_LOG").unwrap_or_else(|_| "warn".into());
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let _ = tracing::subscriber::set_global_default(subscriber(std::io::stderr, &filter, ansi));
}

/// Logs kept in memory: a sink for tests that assert on what was logged.
#[derive(Clone, Default)]
pub struct Buffer(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Buffer {
    /// Everything written so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log buffer lock")).into_owned()
    }
}

impl Write for Buffer {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer lock").extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Buffer {
    type Writer = Buffer;
    fn make_writer(&'a self) -> Buffer {
        self.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_number_logged_in_full_comes_out_masked() {
        let buf = Buffer::default();
        tracing::subscriber::with_default(subscriber(buf.clone(), "info", false), || {
            tracing::info!(driver = "33010219800101064X", "checking driver 33010219800101064X");
        });
        let out = buf.text();
        assert!(out.contains("checking driver 330102********064X"), "{out}");
        assert!(out.contains("driver=\"330102********064X\""), "{out}");
        assert!(!out.contains("19800101"), "{out}");
    }
}
