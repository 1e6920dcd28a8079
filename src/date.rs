//! Calendar dates and half-open periods.
//!
//! factlint only ever needs whole days in the proleptic Gregorian calendar, so
//! a small value type is clearer than pulling in a date-time library.

use std::fmt;

/// A calendar day. Ordering is chronological.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// A date, if the day exists in that month.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month as u8) as u32 {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Parses `YYYY-MM-DD` exactly.
    pub fn parse_iso(text: &str) -> Option<Date> {
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return None;
        }
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        Date::new(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        Date::from_days_since_epoch((seconds / 86_400) as i64)
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    pub fn days_since_epoch(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let year_of_era = year.rem_euclid(400);
        let month = i64::from(self.month);
        let day_of_year = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5
            + i64::from(self.day)
            - 1;
        let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
        era * 146_097 + day_of_era - 719_468
    }

    pub fn next_day(self) -> Date {
        Date::from_days_since_epoch(self.days_since_epoch() + 1)
    }

    /// The first day of the month after this date's month.
    pub fn first_of_next_month(self) -> Date {
        if self.month == 12 {
            Date {
                year: self.year + 1,
                month: 1,
                day: 1,
            }
        } else {
            Date {
                year: self.year,
                month: self.month + 1,
                day: 1,
            }
        }
    }

    /// Converts a count of days since 1970-01-01 (Howard Hinnant's
    /// `civil_from_days`).
    pub fn from_days_since_epoch(days: i64) -> Date {
        let shifted = days + 719_468;
        let era = shifted.div_euclid(146_097);
        let day_of_era = shifted.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let month_index = (5 * day_of_year + 2) / 153;
        let day = (day_of_year - (153 * month_index + 2) / 5 + 1) as u8;
        let month = if month_index < 10 {
            month_index + 3
        } else {
            month_index - 9
        } as u8;
        let year = (year_of_era + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }
}

fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Date {
    /// The date as `YYYY-MM-DD`, the ten bytes written directly for a year
    /// of four digits: dates go into most notes and messages, and the
    /// formatting machinery costs several times as much.
    pub fn to_iso_string(self) -> String {
        match self.iso_bytes() {
            // Digits and dashes: each byte is its character.
            Some(iso) => iso.into_iter().map(char::from).collect(),
            None => self.to_string(),
        }
    }

    /// `YYYY-MM-DD` as ASCII bytes, for years 0 to 9999.
    fn iso_bytes(self) -> Option<[u8; 10]> {
        let year = u16::try_from(self.year).ok().filter(|&year| year <= 9999)?;
        let digit = |value: u16| b'0' + (value % 10) as u8;
        let (month, day) = (u16::from(self.month), u16::from(self.day));
        Some([
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(month / 10),
            digit(month),
            b'-',
            digit(day / 10),
            digit(day),
        ])
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `write!` ignored the caller's width and fill, and so does
        // `write_str`.
        match self.iso_bytes() {
            Some(iso) => f.write_str(std::str::from_utf8(&iso).map_err(|_| fmt::Error)?),
            None => write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }
}

/// A half-open period `[from, until)`; a missing bound is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Period {
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl Period {
    pub fn contains(&self, date: Date) -> bool {
        self.from.is_none_or(|from| from <= date) && self.until.is_none_or(|until| date < until)
    }

    /// True when `until` is not after `from`: the period holds no day.
    pub fn is_inverted(&self) -> bool {
        matches!((self.from, self.until), (Some(from), Some(until)) if until <= from)
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        let starts_before_other_ends = match (self.from, other.until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
        let other_starts_before_this_ends = match (other.from, self.until) {
            (Some(from), Some(until)) => from < until,
            _ => true,
        };
        starts_before_other_ends && other_starts_before_this_ends
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // In pieces, not with `write!`: periods go into most temporal notes.
        match (self.from, self.until) {
            (Some(from), Some(until)) => {
                f.write_str("from ")?;
                fmt::Display::fmt(&from, f)?;
                f.write_str(" until ")?;
                fmt::Display::fmt(&until, f)
            }
            (Some(from), None) => {
                f.write_str("since ")?;
                fmt::Display::fmt(&from, f)
            }
            (None, Some(until)) => {
                f.write_str("until ")?;
                fmt::Display::fmt(&until, f)
            }
            (None, None) => f.write_str("at any date"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        Date::parse_iso(text).unwrap()
    }

    #[test]
    fn displays_every_year_as_the_padded_format_does() {
        for year in (-10_500..=10_500)
            .step_by(7)
            .chain([-1, 0, 1, 999, 1000, 9999, 10_000])
        {
            for (month, day) in [(1, 1), (2, 28), (9, 15), (10, 9), (12, 31)] {
                let date = Date::new(year, month, day).unwrap();
                assert_eq!(
                    date.to_string(),
                    format!("{:04}-{:02}-{:02}", year, month, day)
                );
                assert_eq!(format!("[{date:>12}]"), format!("[{}]", date));
                assert_eq!(date.to_iso_string(), date.to_string());
            }
        }
    }

    #[test]
    fn parses_and_validates_iso_dates() {
        assert_eq!(date("2022-09-17").to_string(), "2022-09-17");
        assert!(Date::parse_iso("2023-02-29").is_none());
        assert!(Date::parse_iso("2024-02-29").is_some());
        assert!(Date::parse_iso("2024-13-01").is_none());
        assert!(Date::parse_iso("2024-1-01").is_none());
        assert!(Date::parse_iso("2024-01-0x").is_none());
    }

    #[test]
    fn days_since_epoch_round_trips() {
        for text in [
            "1970-01-01",
            "2000-02-29",
            "2019-03-23",
            "1600-12-31",
            "2400-03-01",
        ] {
            let day = date(text);
            assert_eq!(Date::from_days_since_epoch(day.days_since_epoch()), day);
        }
        assert_eq!(date("2024-02-28").next_day(), date("2024-02-29"));
        assert_eq!(date("2024-12-31").next_day(), date("2025-01-01"));
        assert_eq!(date("2024-12-15").first_of_next_month(), date("2025-01-01"));
    }

    #[test]
    fn converts_days_since_epoch() {
        assert_eq!(Date::from_days_since_epoch(0), date("1970-01-01"));
        assert_eq!(Date::from_days_since_epoch(19_252), date("2022-09-17"));
        assert_eq!(Date::from_days_since_epoch(-1), date("1969-12-31"));
    }

    #[test]
    fn periods_are_half_open() {
        let nur_sultan = Period {
            from: Some(date("2019-03-23")),
            until: Some(date("2022-09-17")),
        };
        assert!(nur_sultan.contains(date("2019-03-23")));
        assert!(nur_sultan.contains(date("2022-09-16")));
        assert!(!nur_sultan.contains(date("2022-09-17")));
        let astana_again = Period {
            from: Some(date("2022-09-17")),
            until: None,
        };
        assert!(!nur_sultan.overlaps(&astana_again));
        assert!(astana_again.overlaps(&Period::default()));
        assert!(Period {
            from: Some(date("2020-01-01")),
            until: Some(date("2020-01-01"))
        }
        .is_inverted());
    }
}
