//! Rendering of the module's type space and of the query/form structs.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::infer::{StructDef, Ty, TypeSpace};
use crate::ir::FormField;
use crate::names::{ident, Case};

use super::docs::doc_attrs;
use super::operation::QueryField;

/// Structs that are not inferred from JSON but built from the request's parameters.
pub enum Extra {
    /// The query string.
    Query { name: String, fields: Vec<QueryField>, for_fn: String },
    /// A urlencoded or multipart body.
    Form { name: String, fields: Vec<FormField>, multipart: bool, for_fn: String },
    /// A GraphQL body (`variables`: the inferred variables type, if any).
    GraphQl { name: String, for_fn: String, variables: Option<TokenStream> },
}

/// The derives of a generated struct: `Debug`, `Clone`, `Default` and the serde direction the
/// client uses (`Serialize` for what it sends, `Deserialize` for what it reads) always; the
/// other direction and `PartialEq` only under the crate feature [`ROUNDTRIP_FEATURE`], which
/// the round-trip test and `postman-examples` turn on. A struct both sent and read (or neither:
/// no root reaches it) derives both directions always.
pub fn derives(sent: bool, read: bool) -> TokenStream {
    let (sent, read) = if sent || read { (sent, read) } else { (true, true) };
    let mut always = vec![quote! { Debug }, quote! { Clone }, quote! { Default }];
    let mut gated = vec![quote! { PartialEq }];
    let ser = quote! { ::serde::Serialize };
    let de = quote! { ::serde::Deserialize };
    if sent { always.push(ser) } else { gated.push(ser) }
    if read { always.push(de) } else { gated.push(de) }
    quote! {
        #[derive(#(#always),*)]
        #[cfg_attr(feature = #ROUNDTRIP_FEATURE, derive(#(#gated),*))]
    }
}

/// The crate feature that adds the derives the client itself does not need (see [`derives`]).
pub const ROUNDTRIP_FEATURE: &str = "roundtrip";

/// The Rust type for `ty`, as written inside its module.
pub fn ty_tokens(ty: &Ty, space: &TypeSpace) -> TokenStream {
    ty_tokens_at(ty, space, &quote! {}, &quote! { crate })
}

/// The Rust type for `ty`, with its structs prefixed by `module` (e.g. `my_api::users::`) and
/// declared enums by `krate` (`crate` inside the crate, the crate's name outside).
pub fn ty_tokens_at(ty: &Ty, space: &TypeSpace, module: &TokenStream, krate: &TokenStream) -> TokenStream {
    match ty {
        Ty::Bool => quote! { bool },
        Ty::I64 => quote! { i64 },
        Ty::F64 => quote! { f64 },
        Ty::String => quote! { ::std::string::String },
        Ty::Value => quote! { ::serde_json::Value },
        Ty::Vec(item) => {
            let item = ty_tokens_at(item, space, module, krate);
            quote! { ::std::vec::Vec<#item> }
        }
        Ty::Option(item) => {
            let item = ty_tokens_at(item, space, module, krate);
            quote! { ::std::option::Option<#item> }
        }
        Ty::Map(value) => {
            let value = ty_tokens_at(value, space, module, krate);
            quote! { ::std::collections::BTreeMap<::std::string::String, #value> }
        }
        Ty::Struct(index) => {
            let name = format_ident!("{}", space.structs[*index].name);
            quote! { #module #name }
        }
        Ty::Enum(name) => {
            let name = format_ident!("{}", name);
            quote! { #krate::#name }
        }
        Ty::Alias(index) => {
            let name = format_ident!("{}", space.aliases[*index].name);
            quote! { #module #name }
        }
    }
}

/// Every inferred struct and type alias of a module. Structs are in name order: a shared struct
/// stays in its place whichever request creates it first.
pub fn structs(space: &TypeSpace) -> TokenStream {
    let mut sorted: Vec<&StructDef> = space.structs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let items = sorted.into_iter().map(|s| struct_tokens(s, space));
    let aliases = space.aliases.iter().map(|alias| {
        let name = format_ident!("{}", alias.name);
        let ty = ty_tokens(&alias.ty, space);
        let docs = doc_attrs(&alias.docs);
        quote! { #docs pub type #name = #ty; }
    });
    quote! { #(#items)* #(#aliases)* }
}

fn struct_tokens(def: &StructDef, space: &TypeSpace) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let fields = def.fields.iter().map(|field| {
        let field_ident = format_ident!("{}", field.ident);
        let ty = ty_tokens(&field.ty, space);
        let rename = (field.ident != field.wire).then(|| {
            let wire = &field.wire;
            quote! { #[serde(rename = #wire)] }
        });
        if field.required {
            quote! { #rename pub #field_ident: #ty, }
        } else if field.keeps_null {
            quote! {
                #rename
                #[serde(default)]
                pub #field_ident: ::std::option::Option<#ty>,
            }
        } else {
            quote! {
                #rename
                #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                pub #field_ident: ::std::option::Option<#ty>,
            }
        }
    });
    let docs = match &def.docs {
        Some(docs) => doc_attrs(docs),
        None => doc_attrs(&format!("`{}`, inferred from the collection's JSON samples.", def.name)),
    };
    let from_error = def.error.then(|| {
        quote! {
            impl #name {
                /// The body of a failed call ([`crate::Error::Api`] or
                /// [`crate::Error::RateLimited`]) read as this type; `None` for other errors
                /// or a body of another shape.
                pub fn from_error(error: &crate::runtime::Error) -> ::std::option::Option<Self> {
                    error.decode_body()
                }
            }
        }
    });
    let derives = derives(def.sent, def.read);
    quote! {
        #docs
        #derives
        #[serde(default)]
        pub struct #name { #(#fields)* }
        #from_error
    }
}

/// Query, form and GraphQL structs.
pub fn extras(extras: &[Extra]) -> TokenStream {
    let items = extras.iter().map(|extra| match extra {
        Extra::Query { name, fields, for_fn } => query_struct(name, fields, for_fn),
        Extra::Form { name, fields, multipart, for_fn } => form_struct(name, fields, *multipart, for_fn),
        Extra::GraphQl { name, for_fn, variables } => {
            let name = format_ident!("{}", name);
            let docs = doc_attrs(&format!("GraphQL request of [`{for_fn}`]."));
            let variables = match variables {
                Some(ty) => quote! {
                    /// The operation's variables, typed from the collection's example.
                    #[serde(default)]
                    pub variables: #ty,
                },
                None => quote! {
                    /// The operation's variables.
                    #[serde(default, skip_serializing_if = "::serde_json::Value::is_null")]
                    pub variables: ::serde_json::Value,
                },
            };
            let derives = derives(true, false);
            quote! {
                #docs
                #derives
                pub struct #name {
                    /// The GraphQL document.
                    pub query: ::std::string::String,
                    #variables
                }
            }
        }
    });
    quote! { #(#items)* }
}

fn query_struct(name: &str, fields: &[QueryField], for_fn: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    // Query fields are scalars or declared enums: no struct of the type space is named.
    let space = TypeSpace::default();
    let mut seen = std::collections::BTreeSet::new();
    let field_tokens = fields.iter().map(|field| {
        let field_ident = format_ident!("{}", field.ident);
        let wire = &field.param.name;
        let docs = doc_attrs(&field.docs);
        let ty = ty_tokens(&field.ty, &space);
        // A repeated key (`a[]=1&a[]=2`) is sent once per field; only the first can be read back.
        let repeated = (!seen.insert(wire.clone())).then(|| quote! { #[serde(skip_deserializing)] });
        let rename = (field.ident != *wire).then(|| quote! { #[serde(rename = #wire)] #repeated });
        if field.param.required {
            quote! { #docs #rename pub #field_ident: #ty, }
        } else {
            quote! {
                #docs
                #rename
                #[serde(skip_serializing_if = "::std::option::Option::is_none")]
                pub #field_ident: ::std::option::Option<#ty>,
            }
        }
    });
    let docs = doc_attrs(&format!("Query parameters of [`{for_fn}`]."));
    if fields.iter().all(|f| f.fixed.is_none()) {
        let derives = derives(true, false);
        return quote! {
            #docs
            #derives
            pub struct #name { #(#field_tokens)* }
        };
    }
    // Field by field: `..Default::default()` here would call this very function.
    let defaults = fields.iter().map(|f| {
        let field_ident = format_ident!("{}", f.ident);
        match f.fixed {
            Some(value) => quote! { #field_ident: #value, },
            None => quote! { #field_ident: ::std::default::Default::default(), },
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, ::serde::Serialize)]
        #[cfg_attr(feature = #ROUNDTRIP_FEATURE, derive(PartialEq, ::serde::Deserialize))]
        pub struct #name { #(#field_tokens)* }

        impl ::std::default::Default for #name {
            /// Every field empty, except the flags the collection always sends.
            fn default() -> Self {
                Self { #(#defaults)* }
            }
        }
    }
}

fn form_struct(name: &str, fields: &[FormField], multipart: bool, for_fn: &str) -> TokenStream {
    let name = format_ident!("{}", name);
    let keyed: Vec<(String, String)> =
        fields.iter().enumerate().map(|(i, f)| (format!("{i:06}"), ident(&f.name, Case::Snake))).collect();
    let idents = crate::names::assign_unique(&keyed, Case::Snake, &[]);
    let mut seen = std::collections::BTreeSet::new();
    let field_tokens = fields.iter().zip(&idents).map(|(field, id)| {
        let field_ident = format_ident!("{}", id);
        let wire = &field.name;
        let docs = doc_attrs(&field.docs);
        let repeated = (!seen.insert(wire.clone()) && !multipart).then(|| quote! { #[serde(skip_deserializing)] });
        let rename = (id != wire && !multipart).then(|| quote! { #[serde(rename = #wire)] #repeated });
        let skip = (!multipart).then(|| quote! { #[serde(skip_serializing_if = "::std::option::Option::is_none")] });
        let base = if field.file { quote! { crate::runtime::FilePart } } else { quote! { ::std::string::String } };
        if field.required {
            quote! { #docs #rename pub #field_ident: #base, }
        } else {
            quote! {
                #docs
                #rename
                #skip
                pub #field_ident: ::std::option::Option<#base>,
            }
        }
    });
    let kind = if multipart { "Multipart" } else { "Form" };
    let docs = doc_attrs(&format!("{kind} body of [`{for_fn}`]."));
    if !multipart {
        let derives = derives(true, false);
        return quote! {
            #docs
            #derives
            pub struct #name { #(#field_tokens)* }
        };
    }
    let parts = fields.iter().zip(&idents).map(|(field, id)| {
        let field_ident = format_ident!("{}", id);
        let wire = &field.name;
        let add = if field.file {
            quote! { form = form.part(#wire, value.to_part()); }
        } else {
            quote! { form = form.text(#wire, value.clone()); }
        };
        if field.required {
            quote! { { let value = &self.#field_ident; #add } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &self.#field_ident { #add } }
        }
    });
    let body = if fields.is_empty() {
        quote! { ::reqwest::multipart::Form::new() }
    } else {
        quote! {
            let mut form = ::reqwest::multipart::Form::new();
            #(#parts)*
            form
        }
    };
    quote! {
        #docs
        #[derive(Debug, Clone, Default)]
        pub struct #name { #(#field_tokens)* }

        impl #name {
            /// The parts, in collection order.
            pub fn to_form(&self) -> ::reqwest::multipart::Form {
                #body
            }
        }
    }
}
