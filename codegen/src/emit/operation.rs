//! One request → one `async fn` (plus its query/body/response types in the module's type space).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::infer::{Cx, Shape, Ty, TypeSpace};
use crate::ir::{Auth, AuthRef, Body, FormField, OAuth2, Operation, QueryParam, UrlPart};
use crate::names::{ident, Case};
use crate::paging::{PagingPlan, QueryFieldRef};
use crate::plan::{ModulePlan, Plan};

use super::roundtrip::{self, Sample};
use super::types::{ty_tokens, Extra};

/// What emitting one operation produced.
pub struct Emitted {
    /// The request pages: the crate needs `src/paginate.rs` and `futures-util`.
    pub paginated: bool,
    /// The function.
    pub function: TokenStream,
    /// The same signature with short type names, for `surface.txt`.
    pub signature: TokenStream,
    /// Samples to prove the inferred types with (`tests/examples_roundtrip.rs`).
    pub cases: Vec<Sample>,
}

/// Emits `op` as function `fn_name` of `module`.
pub fn emit_operation(
    op: &Operation,
    fn_name: &str,
    module: &ModulePlan<'_>,
    plan: &Plan<'_>,
    space: &mut TypeSpace,
    extras: &mut Vec<Extra>,
    cx: &mut Cx<'_>,
) -> Emitted {
    let mut cases = Vec::new();
    let module_path = &module.rust_path();
    let module_functions = &module.functions;
    let fn_ident = format_ident!("{}", fn_name);
    let type_base = type_base(fn_name);
    let rust_path = if module_path.is_empty() { fn_name.to_owned() } else { format!("{module_path}::{fn_name}") };

    let mut params = Vec::new();
    let mut short_params = Vec::new();
    // `(name, type behind the reference)` of each parameter after `client`, for the paginated
    // companions, whose parameters borrow for the stream's lifetime.
    let mut args: Vec<(proc_macro2::Ident, TokenStream)> = Vec::new();
    for (param, arg) in op.path_params.iter().zip(path_arg_names(op)) {
        let arg = format_ident!("{}", arg);
        let ty = format_ident!("{}", Plan::id_type(&param.name));
        params.push(quote! { #arg: &crate::ids::#ty });
        short_params.push(quote! { #arg: &#ty });
        args.push((arg, quote! { crate::ids::#ty }));
    }

    // `(name, value)` of the headers sent, in order (values with `{{` are rendered at send time).
    let mut headers: Vec<(&str, &str)> = Vec::new();
    for (name, value) in &op.headers {
        // Postman sends a urlencoded body as `application/x-www-form-urlencoded` whatever other
        // Content-Type the request declares; `.form` keeps a declared one, so drop it.
        let content_type = name.eq_ignore_ascii_case("content-type");
        if content_type
            && matches!(op.body, Body::UrlEncoded { .. })
            && !value.to_ascii_lowercase().contains("application/x-www-form-urlencoded")
        {
            continue;
        }
        headers.push((name, value));
    }
    let declares_content_type = op.headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"));

    let mut query_refs = Vec::new();
    let mut query_ty = None;
    if !op.query.is_empty() {
        let name = space.unique_name(&format!("{type_base}Query"));
        let fields = query_fields(&op.query, cx);
        query_refs = fields
            .iter()
            .map(|f| QueryFieldRef { ident: f.ident.clone(), wire: f.param.name.clone(), ty: f.ty.clone(), required: f.param.required })
            .collect();
        extras.push(Extra::Query { name: name.clone(), fields, for_fn: fn_name.to_owned() });
        let ty = format_ident!("{}", name);
        params.push(quote! { query: &#ty });
        short_params.push(quote! { query: &#ty });
        args.push((format_ident!("query"), quote! { #ty }));
        query_ty = Some(quote! { #ty });
    }
    // The query string is written by the runtime, as Postman writes it: in the collection's
    // order of parameters (typed and rendered ones mixed) and with Postman's encoding.
    let query_arg = if op.query.is_empty() { quote! { &[] } } else { quote! { &crate::runtime::query_pairs(query) } };

    let mut body_arg = quote! { crate::runtime::Body::None };
    match &op.body {
        Body::None => {}
        Body::Json { samples, .. } => {
            let ty = match Shape::of_all(samples) {
                Some(shape) => space.top_level(&shape, &format!("{type_base}Body"), "body", cx),
                None => Ty::Value,
            };
            cases.extend(roundtrip::request_cases(op, samples, &ty, cx));
            let tokens = ty_tokens(&ty, space);
            let short = shorten(tokens.clone());
            params.push(quote! { body: &#tokens });
            short_params.push(quote! { body: &#short });
            body_arg = json_body(op);
            args.push((format_ident!("body"), tokens));
        }
        Body::Text { .. } => {
            params.push(quote! { body: &str });
            short_params.push(quote! { body: &str });
            args.push((format_ident!("body"), quote! { str }));
            if !declares_content_type && !op.omit_content_type {
                // What Postman sends with a raw text body that declares no Content-Type.
                headers.push(("Content-Type", "text/plain"));
            }
            body_arg = quote! { crate::runtime::Body::Bytes(body.as_bytes()) };
        }
        Body::File { src } => {
            params.push(quote! { body: &[u8] });
            short_params.push(quote! { body: &[u8] });
            args.push((format_ident!("body"), quote! { [u8] }));
            if let Some(src) = src.as_deref().filter(|_| !declares_content_type && !op.omit_content_type) {
                // What Postman sends with the file the collection names: its type by extension.
                headers.push(("Content-Type", super::mime::for_file(src)));
            }
            body_arg = quote! { crate::runtime::Body::Bytes(body) };
        }
        Body::UrlEncoded { fields } => {
            let ty = form_struct(space, extras, &type_base, fields, false, fn_name);
            params.push(quote! { body: &#ty });
            short_params.push(quote! { body: &#ty });
            args.push((format_ident!("body"), quote! { #ty }));
            body_arg = if op.omit_content_type {
                quote! { crate::runtime::Body::form_raw(body) }
            } else {
                quote! { crate::runtime::Body::form(body) }
            };
        }
        // No parts: Postman sends no body (and no Content-Type).
        Body::FormData { fields } if fields.is_empty() => {}
        Body::FormData { fields } => {
            let ty = form_struct(space, extras, &type_base, fields, true, fn_name);
            params.push(quote! { body: &#ty });
            short_params.push(quote! { body: &#ty });
            args.push((format_ident!("body"), quote! { #ty }));
            body_arg = quote! { crate::runtime::Body::Multipart(&|| body.to_form()) };
        }
        Body::GraphQl { query, variables } => {
            let name = space.unique_name(&format!("{type_base}Body"));
            let typed = variables
                .as_ref()
                .and_then(|v| Shape::of_all([v]))
                .map(|shape| space.top_level(&shape, &format!("{type_base}Variables"), "variables", cx))
                .filter(|ty| *ty != Ty::Value);
            let variables_ty = typed.as_ref().map(|ty| ty_tokens(ty, space));
            cases.extend(roundtrip::graphql_case(op, &name, query, variables.as_ref()));
            extras.push(Extra::GraphQl { name: name.clone(), for_fn: fn_name.to_owned(), variables: variables_ty });
            let ty = format_ident!("{}", name);
            params.push(quote! { body: &#ty });
            short_params.push(quote! { body: &#ty });
            body_arg = json_body(op);
            args.push((format_ident!("body"), quote! { #ty }));
        }
    }

    let (ret, finish, page_ty) = response(op, space, &type_base, cx, &mut cases);
    let error_docs = error_type(op, space, &type_base, fn_name, cx, &mut cases);
    let short_ret = ret.clone();
    let auth = auth_ref_tokens(&op.auth, plan);
    let docs = super::docs::doc_attrs(&(operation_docs(op) + &error_docs));
    let allow = (params.len() > 6).then(|| quote! { #[allow(clippy::too_many_arguments)] });

    let endpoint = endpoint_tokens(op, &rust_path, &auth, &headers);
    let path_args = url_args(op);
    let prepare = quote! { #endpoint };
    let execute = quote! {
        client.send(&ENDPOINT, &[#(#path_args),*], #query_arg, #body_arg).await
    };
    let paging = match (&page_ty, &query_ty) {
        (Some(page_ty), Some(_)) => {
            let pagination = cx.overrides().and_then(|o| o.pagination.as_ref());
            match crate::paging::plan(op, pagination, &query_refs, Some(page_ty), space) {
                Ok(paging) => paging,
                Err(warning) => {
                    cx.warn(warning);
                    None
                }
            }
        }
        _ => {
            if let Some(crate::paging::PaginationOverride::Spec(_)) = cx.overrides().and_then(|o| o.pagination.as_ref()) {
                cx.warn("pagination: the request has no query parameters or no JSON success example".to_owned());
            }
            None
        }
    };
    let companions = paging.and_then(|paging| {
        let names = Companions::new(fn_name);
        if let Some(taken) = names.all().into_iter().find(|n| module_functions.contains(n)) {
            cx.warn(format!("pagination: `{taken}` is the name of another request's function; no stream functions generated"));
            return None;
        }
        Some((paging, names))
    });
    let function = match &companions {
        None => quote! {
            #docs
            #allow
            pub async fn #fn_ident(
                client: &crate::runtime::Client,
                #(#params,)*
            ) -> ::std::result::Result<#ret, crate::runtime::Error> {
                #prepare
                let response = #execute?;
                #finish
            }
        },
        Some((paging, names)) => {
            let arg_names: Vec<_> = args.iter().map(|(name, _)| name.clone()).collect();
            let send_ident = format_ident!("{}", names.send);
            let send_doc = format!(" Sends one request of [`{fn_name}`] (also each page of its stream functions).");
            let main = quote! {
                #docs
                #allow
                pub async fn #fn_ident(
                    client: &crate::runtime::Client,
                    #(#params,)*
                ) -> ::std::result::Result<#ret, crate::runtime::Error> {
                    let response = #send_ident(client, #(#arg_names),*).await?;
                    #finish
                }

                #[doc = #send_doc]
                #allow
                async fn #send_ident(
                    client: &crate::runtime::Client,
                    #(#params,)*
                ) -> ::std::result::Result<crate::runtime::Response, crate::runtime::Error> {
                    #prepare
                    #execute
                }
            };
            let page_ty = page_ty.as_ref().map(|ty| ty_tokens(ty, space)).unwrap_or_default();
            let query_ty = query_ty.clone().unwrap_or_default();
            let companions = companion_fns(paging, names, fn_name, &rust_path, &args, &page_ty, &query_ty, space);
            quote! { #main #companions }
        }
    };
    let short_ret = shorten(short_ret);
    let signature = quote! {
        pub async fn #fn_ident(client: &Client, #(#short_params),*) -> Result<#short_ret, Error> {}
    };
    Emitted { paginated: companions.is_some(), function, signature, cases }
}

/// Argument names for path parameters: snake case, unique, never `client`/`query`/`body`.
fn path_arg_names(op: &Operation) -> Vec<String> {
    let keyed: Vec<(String, String)> =
        op.path_params.iter().map(|p| (p.name.clone(), ident(&p.name, Case::Snake))).collect();
    crate::names::assign_unique(&keyed, Case::Snake, &["client", "query", "body", "response", "c"])
}

fn operation_docs(op: &Operation) -> String {
    let mut docs = String::new();
    if !op.docs.is_empty() {
        docs.push_str(&op.docs);
        docs.push_str("\n\n");
    } else {
        docs.push_str(&crate::docs::inline_text(&op.name));
        docs.push_str("\n\n");
    }
    docs.push_str(&format!("`{} {}`", op.method, op.path_template().replace('`', "'")));
    docs.push_str(&format!("\n\nPostman item: {}", crate::docs::inline_text(&op.item_path.join(" / "))));
    docs
}

fn response(
    op: &Operation,
    space: &mut TypeSpace,
    type_base: &str,
    cx: &mut Cx<'_>,
    cases: &mut Vec<Sample>,
) -> (TokenStream, TokenStream, Option<Ty>) {
    if let Some(shape) = Shape::of_all(op.success_samples()) {
        let ty = space.top_level(&shape, &format!("{type_base}Response"), "response", cx);
        cases.extend(roundtrip::response_cases(op, &ty, cx, false));
        let tokens = ty_tokens(&ty, space);
        return (tokens, quote! { response.json() }, Some(ty));
    }
    if op.success_is_text {
        return (quote! { ::std::string::String }, quote! { response.text() }, None);
    }
    if op.has_success_example {
        return (quote! { () }, quote! { response.empty() }, None);
    }
    (quote! { crate::runtime::Response }, quote! { ::std::result::Result::Ok(response) }, None)
}

/// The names of a paginated request's companion functions.
struct Companions {
    pages: String,
    stream: String,
    sync: String,
    pager: String,
    send: String,
}

impl Companions {
    fn new(fn_name: &str) -> Self {
        // A raw identifier (`r#type`) gets its suffix after the `r#`.
        let base = fn_name.trim_start_matches("r#");
        Companions {
            pages: format!("{base}_pages"),
            stream: format!("{base}_stream"),
            sync: format!("{base}_sync"),
            pager: format!("{base}_pager"),
            send: format!("{base}_send"),
        }
    }

    fn all(&self) -> [String; 5] {
        [self.pages.clone(), self.stream.clone(), self.sync.clone(), self.pager.clone(), self.send.clone()]
    }
}

/// `<fn>_pages`, `<fn>_stream`, `<fn>_sync` (change feeds) and the private `<fn>_pager` they
/// share: a descriptor and one call of the runtime's `paginate` each.
#[allow(clippy::too_many_arguments)]
fn companion_fns(
    paging: &PagingPlan,
    names: &Companions,
    fn_name: &str,
    rust_path: &str,
    args: &[(proc_macro2::Ident, TokenStream)],
    page_ty: &TokenStream,
    query_ty: &TokenStream,
    space: &TypeSpace,
) -> TokenStream {
    let item_ty = ty_tokens(&paging.item, space);
    let lifetime_params: Vec<TokenStream> = args.iter().map(|(name, ty)| quote! { #name: &'a #ty }).collect();
    let arg_names: Vec<_> = args.iter().map(|(name, _)| name.clone()).collect();
    let send_args = args.iter().map(|(name, _)| if name == "query" { quote! { &query } } else { quote! { #name } });
    let allow = (args.len() > 6).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let (pages, stream, sync, pager, send) = (
        format_ident!("{}", names.pages),
        format_ident!("{}", names.stream),
        format_ident!("{}", names.sync),
        format_ident!("{}", names.pager),
        format_ident!("{}", names.send),
    );
    let descriptor = paging.descriptor(rust_path);
    let set_cursor = paging.set_cursor();
    let take_items = &paging.items_expr;
    let how = paging.describe();
    let items = if paging.items.is_empty() { "the page".to_owned() } else { format!("`{}`", paging.items.join(".")) };
    let common = format!(
        "Follows the cursor: {how}, until it is absent, empty or repeated. Every other query parameter (a page size such as `limit` too) is sent as given on every page. The first error is the stream's last element."
    );
    let doc = |first: String, extra: &str| {
        let text = format!("{first}\n\n{common}{extra}");
        super::docs::doc_attrs(&text)
    };
    let pages_docs = doc(format!("Every page of [`{fn_name}`], in order."), "");
    let stream_docs = doc(format!("Every item of [`{fn_name}`] ({items} of each page), in order."), "");
    let one = quote! { ::std::result::Result };
    let error = quote! { crate::runtime::Error };
    let sync_fn = paging.sync.as_ref().map(|path| {
        let sync_docs = doc(
            format!("The change feed of [`{fn_name}`]: every item ({items} of each page), then the new sync token."),
            &format!(
                "\n\nThe last element is [`Feed::SyncToken`](crate::paginate::Feed::SyncToken) with `{}` of the last page (none when no page has one, and none after an error): pass it as the sync token next time to get only what changed since.",
                path.join(".")
            ),
        );
        quote! {
            #sync_docs
            #allow
            pub fn #sync<'a>(
                client: &'a crate::runtime::Client,
                #(#lifetime_params,)*
            ) -> impl crate::paginate::Stream<Item = #one<crate::paginate::Feed<#item_ty>, #error>> + ::std::marker::Send + 'a {
                crate::paginate::sync(#pager(client, #(#arg_names),*))
            }
        }
    });
    quote! {
        #pages_docs
        #allow
        pub fn #pages<'a>(
            client: &'a crate::runtime::Client,
            #(#lifetime_params,)*
        ) -> impl crate::paginate::Stream<Item = #one<#page_ty, #error>> + ::std::marker::Send + 'a {
            crate::paginate::pages(#pager(client, #(#arg_names),*))
        }

        #stream_docs
        #allow
        pub fn #stream<'a>(
            client: &'a crate::runtime::Client,
            #(#lifetime_params,)*
        ) -> impl crate::paginate::Stream<Item = #one<#item_ty, #error>> + ::std::marker::Send + 'a {
            crate::paginate::items(#pager(client, #(#arg_names),*))
        }

        #sync_fn

        #allow
        fn #pager<'a>(
            client: &'a crate::runtime::Client,
            #(#lifetime_params,)*
        ) -> crate::paginate::Pager<'a, #query_ty, #page_ty, #item_ty> {
            static PAGING: crate::paginate::Paging = #descriptor;
            crate::paginate::Pager {
                paging: &PAGING,
                query: query.clone(),
                set_cursor: |query, cursor| #set_cursor,
                items: #take_items,
                send: ::std::boxed::Box::new(move |query| {
                    ::std::boxed::Box::pin(async move { #send(client, #(#send_args),*).await })
                }),
            }
        }
    }
}

/// `ListChats` for `list_chats`: what the request's type names start with.
fn type_base(fn_name: &str) -> String {
    ident(fn_name, Case::UpperCamel).trim_end_matches('_').to_owned()
}

/// Types a request's JSON samples as [`emit_operation`] does (body, GraphQL variables, response,
/// error body), and nothing else: the first pass that tells which shared structures a module
/// still has (see [`TypeSpace::with_locked`]).
pub(super) fn infer_types(op: &Operation, fn_name: &str, space: &mut TypeSpace, cx: &mut Cx<'_>) {
    let type_base = type_base(fn_name);
    match &op.body {
        Body::Json { samples, .. } => {
            if let Some(shape) = Shape::of_all(samples) {
                space.top_level(&shape, &format!("{type_base}Body"), "body", cx);
            }
        }
        Body::GraphQl { variables: Some(variables), .. } => {
            if let Some(shape) = Shape::of_all([variables]) {
                space.top_level(&shape, &format!("{type_base}Variables"), "variables", cx);
            }
        }
        _ => {}
    }
    if let Some(shape) = Shape::of_all(op.success_samples()) {
        space.top_level(&shape, &format!("{type_base}Response"), "response", cx);
    }
    if let Some(shape) = Shape::of_all(op.examples.iter().filter(|e| e.is_error()).map(|e| &e.body)) {
        space.error_type(&shape, &format!("{type_base}Error"), String::new(), cx);
    }
}

/// The error body type inferred from the saved 4xx/5xx examples (`CreateChatError`), if
/// there are any; returns the lines for the function's docs.
fn error_type(
    op: &Operation,
    space: &mut TypeSpace,
    type_base: &str,
    fn_name: &str,
    cx: &mut Cx<'_>,
    cases: &mut Vec<Sample>,
) -> String {
    let errors: Vec<_> = op.examples.iter().filter(|e| e.is_error()).collect();
    let Some(shape) = Shape::of_all(errors.iter().map(|e| &e.body)) else { return String::new() };
    let mut statuses: Vec<u16> = errors.iter().filter_map(|e| e.status).collect();
    statuses.sort_unstable();
    statuses.dedup();
    let statuses = statuses.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
    let name = format!("{type_base}Error");
    let docs = format!(
        "Error body of [`{fn_name}`], inferred from the collection's saved examples with HTTP status {statuses}."
    );
    let Some((name, ty)) = space.error_type(&shape, &name, docs, cx) else { return String::new() };
    cases.extend(roundtrip::response_cases(op, &ty, cx, true));
    let how = if shape.is_object() && matches!(space.resolve(&ty), Ty::Struct(_)) {
        format!("[`{name}::from_error`]")
    } else {
        format!("[`Error::decode_body`](crate::Error::decode_body)`::<{name}>()`")
    };
    format!("\n\nOn HTTP {statuses} the API answers with a body like [`{name}`]: read it from the error with {how}.")
}

/// Shortens `crate::runtime::X` / `::std::...::X` paths for the human-readable signature.
fn shorten(tokens: TokenStream) -> TokenStream {
    let text = tokens.to_string();
    let short = text
        .replace("crate :: runtime :: ", "")
        .replace(":: std :: string :: ", "")
        .replace(":: std :: vec :: ", "")
        .replace(":: serde_json :: ", "serde_json :: ");
    short.parse().unwrap_or(tokens)
}

/// A JSON body: with the `application/json` Content-Type reqwest adds, or without one when the
/// request turns Postman's off (`disabledSystemHeaders`).
fn json_body(op: &Operation) -> TokenStream {
    if op.omit_content_type {
        quote! { crate::runtime::Body::json_raw(body) }
    } else {
        quote! { crate::runtime::Body::json(body) }
    }
}

fn form_struct(
    space: &mut TypeSpace,
    extras: &mut Vec<Extra>,
    type_base: &str,
    fields: &[FormField],
    multipart: bool,
    for_fn: &str,
) -> proc_macro2::Ident {
    let name = space.unique_name(&format!("{type_base}Form"));
    extras.push(Extra::Form { name: name.clone(), fields: fields.to_vec(), multipart, for_fn: for_fn.to_owned() });
    format_ident!("{}", name)
}

/// The request's `static ENDPOINT`: everything it sends on every call. Empty lists are left to
/// `Endpoint::DEFAULT`.
fn endpoint_tokens(op: &Operation, rust_path: &str, auth: &TokenStream, headers: &[(&str, &str)]) -> TokenStream {
    let method = &op.method;
    // The URL templates around the path parameters; adjacent literals are one template.
    let mut pieces = vec![String::new()];
    for part in &op.url {
        match part {
            UrlPart::Literal(text) => {
                if let Some(last) = pieces.last_mut() {
                    last.push_str(text);
                }
            }
            UrlPart::Param(_) => pieces.push(String::new()),
        }
    }
    let mut fields = Vec::new();
    let mut all = true;
    let mut optional = |name: &str, items: Vec<TokenStream>| {
        if items.is_empty() {
            all = false;
        } else {
            let name = format_ident!("{}", name);
            fields.push(quote! { #name: &[#(#items),*], });
        }
    };
    optional("headers", headers.iter().map(|(k, v)| quote! { (#k, #v) }).collect());
    optional("query", op.runtime_query.iter().map(|(k, v)| quote! { (#k, #v) }).collect());
    // The typed pairs are already in the collection's order: an order is needed only to place
    // the rendered ones among them (and leaving it out keeps diffs of a new typed parameter to
    // its field).
    let order: &[String] = if op.runtime_query.is_empty() { &[] } else { &op.query_order };
    optional("query_order", order.iter().map(|o| quote! { #o }).collect());
    let rest = (!all).then(|| quote! { ..crate::runtime::Endpoint::DEFAULT });
    quote! {
        static ENDPOINT: crate::runtime::Endpoint = crate::runtime::Endpoint {
            operation: crate::runtime::Operation { name: #rust_path, auth: #auth },
            method: #method,
            url: &[#(#pieces),*],
            #(#fields)*
            #rest
        };
    }
}

/// The path parameter values of one call, in URL order.
fn url_args(op: &Operation) -> Vec<TokenStream> {
    let args = path_arg_names(op);
    op.url
        .iter()
        .filter_map(|part| match part {
            UrlPart::Literal(_) => None,
            UrlPart::Param(index) => {
                let arg = format_ident!("{}", args[*index]);
                Some(quote! { #arg.as_ref() })
            }
        })
        .collect()
}

/// The auth of one request.
pub fn auth_ref_tokens(auth: &AuthRef, plan: &Plan<'_>) -> TokenStream {
    match auth {
        AuthRef::None => quote! { crate::runtime::AuthSpec::None },
        AuthRef::Shared(index) => {
            let name = format_ident!("{}", plan.shared_auth[*index]);
            quote! { crate::auth::#name }
        }
        AuthRef::Own(auth) => auth_tokens(auth),
    }
}

/// An auth scheme as a constant `AuthSpec` expression.
pub fn auth_tokens(auth: &Auth) -> TokenStream {
    match auth {
        Auth::Bearer { token } => quote! { crate::runtime::AuthSpec::Bearer { token: #token } },
        Auth::Basic { username, password } => {
            quote! { crate::runtime::AuthSpec::Basic { username: #username, password: #password } }
        }
        Auth::ApiKey { key, value, in_query } => {
            quote! { crate::runtime::AuthSpec::ApiKey { key: #key, value: #value, in_query: #in_query } }
        }
        Auth::OAuth2(spec) => {
            let spec = oauth2_tokens(spec);
            quote! { crate::runtime::AuthSpec::OAuth2(&#spec) }
        }
        Auth::Signed { kind, params } => {
            let spec = signed_spec_tokens(kind, params);
            quote! { crate::runtime::AuthSpec::Signed(&#spec) }
        }
        Auth::Unsupported { kind } => quote! { crate::runtime::AuthSpec::Unsupported { kind: #kind } },
    }
}

/// A signing scheme as a constant `SignedSpec` expression.
pub fn signed_spec_tokens(kind: &str, params: &[(String, String)]) -> TokenStream {
    let variant = crate::signing::kind(kind).expect("lowering makes `Signed` of signing kinds only").variant;
    let variant = format_ident!("{}", variant);
    let pairs = params.iter().map(|(key, template)| quote! { (#key, #template) });
    quote! {
        crate::runtime::SignedSpec {
            kind: crate::runtime::SignKind::#variant,
            params: &[#(#pairs),*],
        }
    }
}

pub fn oauth2_tokens(spec: &OAuth2) -> TokenStream {
    let OAuth2 {
        access_token,
        header_prefix,
        add_to_query,
        auth_url,
        token_url,
        scope,
        client_id,
        client_secret,
        redirect_uri,
        refresh_token,
        expiry_time,
        client_auth_in_body,
    } = spec;
    quote! {
        crate::runtime::OAuth2Spec {
            access_token: #access_token,
            header_prefix: #header_prefix,
            add_to_query: #add_to_query,
            auth_url: #auth_url,
            token_url: #token_url,
            scope: #scope,
            client_id: #client_id,
            client_secret: #client_secret,
            redirect_uri: #redirect_uri,
            refresh_token: #refresh_token,
            expiry_time: #expiry_time,
            client_auth_in_body: #client_auth_in_body,
        }
    }
}

/// A field of a request's query struct.
#[derive(Debug, Clone)]
pub struct QueryField {
    /// Rust identifier.
    pub ident: String,
    /// The parameter.
    pub param: QueryParam,
    /// `String`, `i64`, `bool` or a declared enum (see [`crate::infer::query_type`]).
    pub ty: Ty,
    /// What `Default` sets a fixed flag to (see [`fixed_flag`]).
    pub fixed: Option<bool>,
    /// Documentation (Markdown).
    pub docs: String,
}

/// Query parameters as fields of the query struct, typed from the collection's values.
pub fn query_fields(params: &[QueryParam], cx: &mut Cx<'_>) -> Vec<QueryField> {
    let keyed: Vec<(String, String)> =
        params.iter().enumerate().map(|(i, p)| (format!("{i:06}"), ident(&p.name, Case::Snake))).collect();
    let idents = crate::names::assign_unique(&keyed, Case::Snake, &[]);
    params
        .iter()
        .zip(idents)
        .map(|(p, id)| {
            let ty = crate::infer::query_type(p, cx);
            let fixed = fixed_flag(p, &ty);
            let mut docs = p.docs.clone();
            let mut add = |line: String| {
                if !docs.is_empty() {
                    docs.push_str("\n\n");
                }
                docs.push_str(&line);
            };
            if let Some(example) = &p.example {
                add(format!("Example: `{}`", example.replace('`', "'")));
            }
            if let Some(value) = &fixed {
                add(format!("The collection always sends `{value}`: [`Default`] sets it."));
            }
            QueryField { ident: id, param: p.clone(), ty, fixed, docs }
        })
        .collect()
}

/// The value of a fixed flag: a `bool` parameter the collection sends on every call (enabled,
/// so Newman always sends it) with the same value in every sample, like `primary=true`. The
/// struct's `Default` gives it that value, so `..Default::default()` sends what the collection
/// sends and a caller can still change it. Only flags: a default number or id would send a
/// placeholder the caller never chose (`limit=20`, `calendar_id=1234567890`).
fn fixed_flag(param: &QueryParam, ty: &Ty) -> Option<bool> {
    let value = param.example.as_ref().filter(|_| param.required && *ty == Ty::Bool)?;
    let same = param.samples.iter().all(|s| s == value);
    same.then(|| value == "true")
}
