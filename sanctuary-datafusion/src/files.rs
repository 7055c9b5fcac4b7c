//! The files a replay or the generator writes beside an output: where they go, the file
//! an output path names through its symbolic links, and hidden scratch files that are
//! removed unless kept.

use std::path::{Path, PathBuf};

/// The directory a file at `path` is in (`.` for a bare file name): where the hidden
/// files beside an output go.
pub(crate) fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The file an output path names: `out` itself, or, when `out` is a symbolic link, the
/// file at the end of its links (each link's target read against the link's own
/// directory; the file need not exist yet). Writing an output replaces that file and
/// keeps the links, as writing through the link would.
///
/// # Errors
/// A link that cannot be read, or a chain of links that does not end (a loop).
pub(crate) fn link_target(out: &Path) -> std::io::Result<PathBuf> {
    // As many links as Linux follows before it gives up on a path.
    const MAX_LINKS: usize = 40;
    let mut path = out.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                // An absolute target replaces the directory in `join`.
                path = directory_of(&path).join(std::fs::read_link(&path)?);
            }
            _ => return Ok(path),
        }
    }
    Err(std::io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links in a row (a loop?)"
    )))
}

/// A file removed when dropped (unless kept under another name).
pub(crate) struct Scratch {
    path: PathBuf,
    armed: bool,
}

impl Scratch {
    /// A new, unique (within this process, and by its process id across processes) hidden
    /// file name in `dir`, beginning with `.{name}.` and ending with `.{suffix}`; nothing
    /// is created.
    pub(crate) fn beside(dir: &Path, name: &Path, suffix: &str) -> Scratch {
        let stem = name
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        // Unique within the process too: replays may run side by side.
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Scratch {
            path: dir.join(format!(".{stem}.{}-{n}.{suffix}", std::process::id())),
            armed: true,
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    /// Renames the file to `dest` (replacing it), so that it is no longer removed.
    pub(crate) fn keep_as(mut self, dest: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, dest)?;
        self.armed = false;
        Ok(())
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if self.armed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}
