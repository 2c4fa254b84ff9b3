//! Feature extraction over a corpus (filled in below).
