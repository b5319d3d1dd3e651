//! How much of each personal field a handout holds. With these limits every personal block
//! fits its page, even in large print (property tests in `tests/properties.rs` check this).

/// Longest patient or therapist name, in characters; longer names would crowd the header.
pub const MAX_NAME_CHARS: usize = 80;
/// Longest personal note, in characters: a note, not a letter.
pub const MAX_NOTE_CHARS: usize = 400;
/// Most lines in a personal note (blank lines do not count). With the length limit the note box
/// fits one page even in large print, with a clinic footer, in the widest letters (a property
/// test checks this).
pub const MAX_NOTE_LINES: usize = 8;
/// Most goals, and the longest goal in characters.
pub const MAX_GOALS: usize = 6;
/// Longest goal or ladder step, in characters.
pub const MAX_ITEM_CHARS: usize = 120;
/// Most steps on the progression ladder (content-notes §6: a ladder of 4-6 steps).
pub const MAX_STEPS: usize = 6;
/// Steps of an empty ladder to fill in by hand.
pub const BLANK_STEPS: usize = 5;
/// Empty lines for goals written by hand.
pub const BLANK_GOAL_LINES: usize = 3;
/// Longest QR address, in characters: longer ones make a dense code that prints poorly.
pub const MAX_URL_CHARS: usize = 300;
