//! Notifications: messages with a level, kept in a queue so that a warning or an error stays
//! until it is dismissed, whatever is said after it.

/// How much a message matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Info,
    Warning,
    Error,
}

/// One message at the bottom of the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub level: Level,
    pub text: String,
    /// Offer an Undo button.
    pub undo: bool,
    /// It reports the last import: offer its details.
    pub import_details: bool,
}

impl Notification {
    pub fn new(level: Level, text: impl Into<String>) -> Self {
        Notification {
            level,
            text: text.into(),
            undo: false,
            import_details: false,
        }
    }

    pub fn info(text: impl Into<String>) -> Self {
        Notification::new(Level::Info, text)
    }

    pub fn warning(text: impl Into<String>) -> Self {
        Notification::new(Level::Warning, text)
    }

    pub fn error(text: impl Into<String>) -> Self {
        Notification::new(Level::Error, text)
    }

    /// With an Undo button.
    pub fn with_undo(mut self) -> Self {
        self.undo = true;
        self
    }

    pub fn is_error(&self) -> bool {
        self.level >= Level::Warning
    }
}

/// At most this many messages are kept; the oldest information goes first.
pub const MAX_SHOWN: usize = 5;

/// The messages shown, oldest first, each with an id to dismiss it by.
#[derive(Debug, Clone, Default)]
pub struct Notifications {
    items: Vec<(u64, Notification)>,
    next_id: u64,
}

impl Notifications {
    /// Add a message. Information replaces the information shown before it (the bar says what
    /// just happened); warnings and errors stay until dismissed.
    pub fn push(&mut self, notification: Notification) {
        if notification.level == Level::Info {
            self.items.retain(|(_, n)| n.level != Level::Info);
        }
        // The same warning twice is shown once, as the newest.
        self.items.retain(|(_, n)| *n != notification);
        self.items.push((self.next_id, notification));
        self.next_id += 1;
        while self.items.len() > MAX_SHOWN {
            let oldest = self
                .items
                .iter()
                .position(|(_, n)| n.level == Level::Info)
                .unwrap_or(0);
            self.items.remove(oldest);
        }
    }

    /// The newest message.
    pub fn latest(&self) -> Option<&Notification> {
        self.items.last().map(|(_, n)| n)
    }

    /// Every message with its id, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = (u64, &Notification)> {
        self.items.iter().map(|(id, n)| (*id, n))
    }

    pub fn dismiss(&mut self, id: u64) {
        self.items.retain(|(i, _)| *i != id);
    }

    pub fn clear(&mut self) {
        self.items.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_is_not_overwritten_by_a_later_message() {
        let mut n = Notifications::default();
        n.push(Notification::warning("3 files skipped"));
        n.push(Notification::info("Undone"));
        n.push(Notification::info("Redone"));
        let texts: Vec<&str> = n.iter().map(|(_, n)| n.text.as_str()).collect();
        assert_eq!(texts, ["3 files skipped", "Redone"]);
        assert_eq!(n.latest().map(|l| l.text.as_str()), Some("Redone"));
    }

    #[test]
    fn dismissing_takes_one_message_and_the_oldest_information_goes_first() {
        let mut n = Notifications::default();
        n.push(Notification::info("Imported 2"));
        for i in 0..MAX_SHOWN {
            n.push(Notification::error(format!("error {i}")));
        }
        assert_eq!(n.len(), MAX_SHOWN);
        assert!(n.iter().all(|(_, m)| m.level == Level::Error));
        let first = n.iter().next().map(|(id, _)| id).expect("one");
        n.dismiss(first);
        assert_eq!(n.len(), MAX_SHOWN - 1);
        assert_eq!(
            n.iter().next().map(|(_, m)| m.text.as_str()),
            Some("error 1")
        );
    }
}
