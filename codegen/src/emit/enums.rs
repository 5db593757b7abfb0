//! Enums declared in the overrides (under `enums`, or inline with `type = "enum"`): one unit
//! variant per value plus `Unknown(String)`, so a value the server adds later still deserializes
//! (and is written back unchanged). `serde`'s `#[serde(other)]` only works for unit variants, so
//! (de)serialization goes through the string; `Display` and `FromStr` use the wire value too.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::names::{assign_unique, ident, Case};
use crate::overrides::{EnumDecl, Overrides};

use super::docs::doc_attrs;

/// Every declared enum, for the crate root.
pub fn enums(overrides: &Overrides) -> TokenStream {
    let items = overrides.enums.iter().map(|(name, decl)| enum_tokens(name, decl));
    quote! { #(#items)* }
}

fn enum_tokens(name: &str, decl: &EnumDecl) -> TokenStream {
    let name = format_ident!("{}", name);
    let values: Vec<&str> = decl.values.iter().map(|v| v.value.as_str()).collect();
    let keyed: Vec<(String, String)> = values.iter().map(|v| ((*v).to_owned(), ident(v, Case::Variant))).collect();
    let variants: Vec<_> = assign_unique(&keyed, Case::Variant, &["Unknown"])
        .into_iter()
        .map(|v| format_ident!("{}", v))
        .collect();
    let docs = if decl.docs.trim().is_empty() {
        doc_attrs(&format!("One of {}, or a value this version does not know.", quoted_list(&values)))
    } else {
        doc_attrs(&decl.docs)
    };
    let variant_docs = decl.values.iter().map(|v| {
        let wire = format!("`{}`", v.value.replace('`', "'"));
        if v.docs.trim().is_empty() {
            doc_attrs(&wire)
        } else {
            doc_attrs(&format!("{wire}: {}", v.docs.trim()))
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#variant_docs #variants,)*
            /// A value not listed when the client was generated.
            Unknown(::std::string::String),
        }

        impl #name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [&'static str] = &[#(#values),*];

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #values,)*
                    Self::Unknown(value) => value,
                }
            }
        }

        impl ::std::default::Default for #name {
            /// `Unknown("")`: no value known.
            fn default() -> Self {
                Self::Unknown(::std::string::String::new())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            /// Never fails: a value not listed becomes `Unknown`.
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let value = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self::from(value.as_ref()))
            }
        }
    }
}

fn quoted_list(values: &[&str]) -> String {
    values.iter().map(|v| format!("`{}`", v.replace('`', "'"))).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_are_unique_and_unknown_is_reserved() {
        let decl = EnumDecl { values: vec!["unknown".into(), "a-b".into(), "A B".into(), "Default".into()], docs: String::new() };
        let text = enum_tokens("Kind", &decl).to_string();
        assert!(text.contains("Unknown2"), "{text}");
        assert!(text.contains("Self :: Ab =>") && text.contains("Self :: Ab2 =>"), "{text}");
        assert!(text.contains("Unknown (:: std :: string :: String)"), "{text}");
        assert!(text.contains("Self :: Default =>"), "a variant may be called Default: {text}");
        assert!(text.contains("impl :: std :: str :: FromStr for Kind"), "{text}");
    }
}
