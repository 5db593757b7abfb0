//! A Markdown table printer (the output pastes into the README as it is).

/// A table: a header row and data rows of preformatted cells.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(header: &[&str]) -> Self {
        Table { header: header.iter().map(|h| (*h).to_owned()).collect(), rows: Vec::new() }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    /// The number of data rows.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The table as Markdown, columns padded; numeric columns are right-aligned.
    pub fn render(&self) -> String {
        let columns = self.header.len();
        let cell = |row: &[String], i: usize| row.get(i).cloned().unwrap_or_default();
        let widths: Vec<usize> = (0..columns)
            .map(|i| {
                self.rows.iter().map(|r| cell(r, i).chars().count()).chain([self.header[i].chars().count(), 3]).max().unwrap_or(3)
            })
            .collect();
        let numeric: Vec<bool> = (0..columns)
            .map(|i| {
                i > 0
                    && self.rows.iter().all(|r| {
                        let c = cell(r, i);
                        c.is_empty() || c == "n/a" || c.starts_with(|ch: char| ch.is_ascii_digit() || ch == '-' || ch == '×')
                    })
            })
            .collect();
        let line = |cells: Vec<String>| {
            let padded: Vec<String> = cells
                .iter()
                .enumerate()
                .map(|(i, c)| if numeric[i] { format!("{c:>w$}", w = widths[i]) } else { format!("{c:<w$}", w = widths[i]) })
                .collect();
            format!("| {} |\n", padded.join(" | "))
        };
        let mut out = line(self.header.clone());
        let rule: Vec<String> = (0..columns)
            .map(|i| if numeric[i] { format!("{}:", "-".repeat(widths[i] - 1)) } else { "-".repeat(widths[i]) })
            .collect();
        out.push_str(&format!("| {} |\n", rule.join(" | ")));
        for row in &self.rows {
            out.push_str(&line((0..columns).map(|i| cell(row, i)).collect()));
        }
        out
    }
}

/// Milliseconds with a precision that suits their size.
pub fn ms(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// Kibibytes as mebibytes.
pub fn mib(kib: u64) -> String {
    format!("{:.1}", kib as f64 / 1024.0)
}

/// The median of some samples (0 for none).
pub fn median(samples: &[f64]) -> f64 {
    if samples.is_empty() {
        return 0.0;
    }
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}
