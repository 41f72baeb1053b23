//! The credits section of the detail panel: everyone credited, each person once with their
//! roles, grouped by organization; a click filters the list by them.

use super::commands::Commands;
use super::state::Action;
use crate::model::{Clipping, Credit, CreditRole};

/// A person credited on an article, once, with every role the text gives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub organization: Option<String>,
    pub roles: Vec<CreditRole>,
    pub location: Option<String>,
}

impl Person {
    /// "byline, reporting".
    pub fn roles_text(&self) -> String {
        let roles: Vec<String> = self
            .roles
            .iter()
            .map(|r| r.as_str().replace('_', " "))
            .collect();
        roles.join(", ")
    }
}

/// Everyone credited (byline authors first, then the contributors), each person once with
/// their roles, grouped by organization in order of first appearance; people without one last.
pub fn group_credits(authors: &[String], credits: &[Credit]) -> Vec<(Option<String>, Vec<Person>)> {
    let mut people: Vec<Person> = Vec::new();
    let entries = authors
        .iter()
        .map(|a| (a.as_str(), None, CreditRole::Byline, None))
        .chain(credits.iter().map(|c| {
            (
                c.name.as_str(),
                c.organization.as_deref(),
                c.role,
                c.location.as_deref(),
            )
        }));
    for (name, org, role, location) in entries {
        let person = match people
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            Some(p) => p,
            None => {
                people.push(Person {
                    name: name.to_string(),
                    organization: None,
                    roles: Vec::new(),
                    location: None,
                });
                let last = people.len() - 1;
                &mut people[last]
            }
        };
        if !person.roles.contains(&role) {
            person.roles.push(role);
        }
        if person.organization.is_none() {
            person.organization = org.map(str::to_string);
        }
        if person.location.is_none() {
            person.location = location.map(str::to_string);
        }
    }
    let mut groups: Vec<(Option<String>, Vec<Person>)> = Vec::new();
    for person in people {
        match groups
            .iter_mut()
            .find(|(org, _)| *org == person.organization)
        {
            Some((_, members)) => members.push(person),
            None => groups.push((person.organization.clone(), vec![person])),
        }
    }
    groups.sort_by_key(|(org, _)| org.is_none());
    groups
}

pub fn show(ui: &mut egui::Ui, clipping: &Clipping, commands: &mut Commands) {
    let meta = &clipping.parsed;
    ui.strong("Credits");
    let mut filter = None;
    let groups = group_credits(&meta.authors, &meta.contributors);
    let grouped_orgs: Vec<String> = groups.iter().filter_map(|(o, _)| o.clone()).collect();
    for org in &meta.organizations {
        if grouped_orgs.contains(org) {
            continue;
        }
        ui.horizontal_wrapped(|ui| {
            ui.weak("Credited:");
            if ui.link(org).clicked() {
                filter = Some(org.clone());
            }
        });
    }
    for (org, people) in groups {
        match &org {
            Some(org) => {
                if ui
                    .link(egui::RichText::new(org).strong())
                    .on_hover_text("Show clippings crediting this organization")
                    .clicked()
                {
                    filter = Some(org.clone());
                }
            }
            None if grouped_orgs.is_empty() => {}
            None => {
                ui.weak("Without an organization");
            }
        }
        for person in people {
            ui.horizontal_wrapped(|ui| {
                ui.add_space(8.0);
                if ui
                    .link(&person.name)
                    .on_hover_text("Show clippings crediting them")
                    .clicked()
                {
                    filter = Some(person.name.clone());
                }
                let mut roles = person.roles_text();
                if let Some(loc) = &person.location {
                    roles.push_str(&format!(", in {loc}"));
                }
                ui.weak(roles);
            });
        }
    }
    if meta.authors.is_empty() && meta.organizations.is_empty() && meta.contributors.is_empty() {
        ui.weak("No one is credited in the text.");
    }
    if let Some(who) = filter {
        commands.action(Action::FilterCredit(Some(who)));
    }
}
