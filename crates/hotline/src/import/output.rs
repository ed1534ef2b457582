//! Output files written atomically: into a temporary file beside the target, renamed
//! over it only when complete, so a failed or refused command never leaves half a file
//! (or clobbers the previous one).

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; [`AtomicFile::commit`] puts it in place. Dropped without a
/// commit, the temporary file is removed.
#[derive(Debug)]
pub struct AtomicFile {
    out: Option<BufWriter<File>>,
    /// `None` when the target is written in place (see [`writes_in_place`]).
    tmp: Option<PathBuf>,
    target: PathBuf,
}

/// Whether `target` is something other than a regular file (`/dev/null`, `/dev/stdout`,
/// a FIFO): it is written directly. A rename over it would replace the device node with
/// a regular file — as root, `/dev/null` itself.
pub fn writes_in_place(target: &Path) -> bool {
    std::fs::metadata(target).is_ok_and(|m| !m.is_file())
}

impl AtomicFile {
    /// Starts writing `target` (through `.<name>.tmp` in the same directory).
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        if writes_in_place(target) {
            let file = std::fs::OpenOptions::new().write(true).open(target)?;
            return Ok(AtomicFile {
                out: Some(BufWriter::with_capacity(1 << 16, file)),
                tmp: None,
                target: target.to_owned(),
            });
        }
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = target
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a file name"))?;
        let tmp = dir.join(format!(".{name}.tmp"));
        let file = File::create(&tmp)?;
        Ok(AtomicFile {
            out: Some(BufWriter::with_capacity(1 << 16, file)),
            tmp: Some(tmp),
            target: target.to_owned(),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let Some(tmp) = self.tmp.take() else {
            if let Some(mut out) = self.out.take() {
                out.flush()?;
            }
            return Ok(());
        };
        if let Some(out) = self.out.take() {
            let file = out.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        std::fs::rename(&tmp, &self.target)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.out {
            Some(out) => out.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.out {
            Some(out) => out.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.out.is_some() {
            self.out = None;
            if let Some(tmp) = &self.tmp {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_is_written_in_place_not_replaced() {
        let null = Path::new("/dev/null");
        let mut f = AtomicFile::create(null).unwrap();
        f.write_all(b"discarded").unwrap();
        f.commit().unwrap();
        let meta = std::fs::metadata(null).unwrap();
        assert!(!meta.is_file(), "/dev/null was replaced by a regular file");
        assert_eq!(std::fs::read(null).unwrap(), b"");
    }

    #[test]
    fn a_regular_file_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"a,b\n").unwrap();
        assert!(!target.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        let mut g = AtomicFile::create(&target).unwrap();
        g.write_all(b"half").unwrap();
        drop(g);
        assert_eq!(std::fs::read(&target).unwrap(), b"a,b\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
