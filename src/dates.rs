//! Dates as pjece reads and writes them: ISO or Danish forms in (the CLI's `--date` and
//! `--next`, a batch row's date and next columns), Danish words out (`3. december 2026`).
//! The same forms are accepted wherever a date is read. A leaf: it imports none of the stages.

use jiff::civil::{Date, DateTime, Time};

/// `3. december 2026`, with the month names given (the content's labels).
pub fn danish_date(d: Date, months: &[String]) -> String {
    let month = months
        .get(d.month() as usize - 1)
        .map(String::as_str)
        .unwrap_or("");
    format!("{}. {month} {}", d.day(), d.year())
}

/// Reads `2026-12-03 10:30` (also with `T`, or `kl.` and a dot in the time).
pub fn parse_appointment(s: &str) -> Option<DateTime> {
    let s = s.trim().replace(" kl. ", " ").replace(" kl ", " ");
    let (date, time) = s.split_once([' ', 'T'])?;
    let date = parse_date(date)?;
    // Excel writes "10:30:00"; seconds other than zero make no sense for an appointment.
    let mut parts = time.trim().split([':', '.']);
    let (h, m): (i8, i8) = (parts.next()?.parse().ok()?, parts.next()?.parse().ok()?);
    match parts.next() {
        None | Some("00") => {}
        Some(_) => return None,
    }
    if parts.next().is_some() {
        return None;
    }
    Time::new(h, m, 0, 0).ok().map(|t| date.to_datetime(t))
}

/// What a date may look like, for error messages.
pub const DATE_FORMATS: &str = "is not a date; use YYYY-MM-DD or DD-MM-YYYY, e.g. 2026-12-03";
/// What an appointment may look like, for error messages.
pub const APPOINTMENT_FORMATS: &str =
    "is not a date and time; use YYYY-MM-DD HH:MM or DD-MM-YYYY HH:MM, e.g. 2026-12-03 10:30";

/// Reads a date as YYYY-MM-DD, or the Danish DD-MM-YYYY, DD.MM.YYYY or DD/MM/YYYY that Excel
/// writes in a Danish locale. The same forms are accepted wherever pjece reads a date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if let Ok(d) = s.parse::<Date>() {
        return Some(d);
    }
    let parts: Vec<&str> = s.split(['-', '.', '/']).collect();
    if let [d, m, y] = parts[..]
        && y.len() == 4
        && (1..=2).contains(&d.len())
        && (1..=2).contains(&m.len())
    {
        return Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).ok();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_the_same_everywhere() {
        let want = jiff::civil::date(2026, 12, 3);
        for s in [
            "2026-12-03",
            "03-12-2026",
            "3.12.2026",
            "03/12/2026",
            " 2026-12-03 ",
        ] {
            assert_eq!(parse_date(s), Some(want), "{s}");
        }
        for s in ["2026-13-01", "31-02-2026", "12/03/26", "i morgen", ""] {
            assert_eq!(parse_date(s), None, "{s}");
        }
        let at = want.at(10, 30, 0, 0);
        for s in [
            "2026-12-03 10:30",
            "03-12-2026 10:30",
            "03-12-2026 10:30:00",
            "3.12.2026 kl. 10.30",
            "2026-12-03T10:30",
        ] {
            assert_eq!(parse_appointment(s), Some(at), "{s}");
        }
        for s in [
            "2026-12-03",
            "2026-12-03 25:00",
            "2026-12-03 10:30:15",
            "2026-12-03 10:30:00:00",
        ] {
            assert_eq!(parse_appointment(s), None, "{s}");
        }
    }
}
