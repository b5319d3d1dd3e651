//! The server's today: the date a form starts with, and a handout's when none is given.

use jiff::civil::Date;

/// Today's date, as `pjece build` takes it (SOURCE_DATE_EPOCH when set).
pub fn today() -> Date {
    crate::cli::commands::today().unwrap_or_else(|_| jiff::ZonedDateTime::now().date())
}
