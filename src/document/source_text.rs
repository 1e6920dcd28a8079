//! A file's text as read: a `String`, or, for a large file, memory mapped
//! for it alone and backed by huge pages where the system grants them.

use std::fmt;
use std::ops::Deref;

use memmap2::MmapMut;
use yoke::Yoke;

use super::{not_utf8, ReadError};

/// The text of a file, valid UTF-8, read once.
///
/// A large file is read into an anonymous mapping advised to use huge
/// pages: reading the 100 MB bench text into a `Vec` faulted in 24,500
/// pages of 4 KB, and the faults cost more than the copy (the read took
/// 70-85 ms on 2 threads, and 20-30 ms into 2 MB pages). The mapping is
/// private to this process and never mapped from the file, so a file
/// changed on disk meanwhile cannot change the text.
pub enum SourceText {
    Owned(String),
    Mapped(Yoke<&'static str, Box<MmapMut>>),
}

impl SourceText {
    pub fn as_str(&self) -> &str {
        match self {
            SourceText::Owned(text) => text,
            SourceText::Mapped(mapped) => mapped.get(),
        }
    }

    /// `bytes` as text, if they are UTF-8.
    pub(super) fn from_mapped(bytes: MmapMut) -> Result<SourceText, ReadError> {
        // Validated once, here: the `str` is kept beside the mapping it
        // borrows, not made again at every use.
        Yoke::try_attach_to_cart(Box::new(bytes), |bytes: &MmapMut| {
            std::str::from_utf8(bytes).map_err(|error| not_utf8(bytes, error.valid_up_to()))
        })
        .map(SourceText::Mapped)
    }
}

impl Deref for SourceText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<String> for SourceText {
    fn from(text: String) -> SourceText {
        SourceText::Owned(text)
    }
}

impl fmt::Debug for SourceText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for SourceText {
    fn eq(&self, other: &SourceText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl PartialEq<&str> for SourceText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}
