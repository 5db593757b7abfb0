//! Cargo features: one per top-level module (`v3`, `oauth`), and one per module below a
//! top-level module that has no requests of its own (`v3-chats`), which the top-level feature
//! turns on. Names come from the module path (`_` → `-`, segments joined by `-`), so a consumer
//! of two modules compiles only those.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::plan::{ModulePlan, Plan};
use crate::toml_text::basic_string;

/// The features of a crate, by module path.
pub struct Features {
    /// Module path (one or two segments) → the feature that gates it and everything in it.
    by_path: BTreeMap<Vec<String>, String>,
    /// Top-level feature → the features of its sub-modules (empty when it is not split).
    top: Vec<(String, Vec<String>)>,
}

fn name(path: &[String]) -> String {
    path.iter().map(|p| p.replace('_', "-")).collect::<Vec<_>>().join("-")
}

impl Features {
    /// The features of `plan`'s modules. A top-level module with sub-modules and no requests of
    /// its own is split into a feature per sub-module, unless one of those names is taken (a
    /// top-level `v3_chats` beside `v3::chats`): then its feature gates it whole.
    pub fn new(plan: &Plan<'_>) -> Features {
        let mut taken: BTreeSet<String> = plan.root.children.iter().map(|m| name(&m.path)).collect();
        let mut by_path = BTreeMap::new();
        let mut top = Vec::new();
        for module in &plan.root.children {
            let feature = name(&module.path);
            by_path.insert(module.path.clone(), feature.clone());
            let children: Vec<String> = module.children.iter().map(|c| name(&c.path)).collect();
            let split = !children.is_empty()
                && module.module.operations.is_empty()
                && children.iter().all(|c| !taken.contains(c));
            if split {
                for (child, feature) in module.children.iter().zip(&children) {
                    taken.insert(feature.clone());
                    by_path.insert(child.path.clone(), feature.clone());
                }
                top.push((feature, children));
            } else {
                top.push((feature, Vec::new()));
            }
        }
        Features { by_path, top }
    }

    /// The feature that gates `module`'s contents (`None` at the crate root).
    pub fn of(&self, module: &ModulePlan<'_>) -> Option<String> {
        (1..=module.path.len().min(2)).rev().find_map(|n| self.by_path.get(&module.path[..n]).cloned())
    }

    /// The `#[cfg(…)]` of `module`'s declaration: a split top-level module is compiled when any
    /// of its sub-modules is.
    pub fn gate(&self, module: &ModulePlan<'_>) -> Option<TokenStream> {
        match module.path.len() {
            1 => {
                let (feature, children) = self.top.iter().find(|(f, _)| self.by_path.get(&module.path) == Some(f))?;
                match children.as_slice() {
                    [] => Some(quote! { #[cfg(feature = #feature)] }),
                    // `any` of one condition is clippy's `non_minimal_cfg`.
                    [only] => Some(quote! { #[cfg(feature = #only)] }),
                    _ => Some(quote! { #[cfg(any(#(feature = #children),*))] }),
                }
            }
            2 => self.by_path.get(&module.path).map(|f| quote! { #[cfg(feature = #f)] }),
            _ => None,
        }
    }

    /// The top-level features, for `default`.
    pub fn top_level(&self) -> Vec<String> {
        self.top.iter().map(|(f, _)| f.clone()).collect()
    }

    /// The `[features]` lines of the modules.
    pub fn cargo_lines(&self) -> String {
        let mut out = String::new();
        for (feature, children) in &self.top {
            if children.is_empty() {
                out.push_str(&format!("{} = []\n", basic_string(feature)));
                continue;
            }
            out.push_str(&format!("{} = [\n", basic_string(feature)));
            for child in children {
                out.push_str(&format!("    {},\n", basic_string(child)));
            }
            out.push_str("]\n");
            for child in children {
                out.push_str(&format!("{} = []\n", basic_string(child)));
            }
        }
        out
    }
}
