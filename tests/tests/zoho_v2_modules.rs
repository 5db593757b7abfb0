//! One real call per v2 module (23 modules): each goes through the generated function with typed
//! ids, query and body structs, and [`Call`] checks the exact method, path, query string,
//! `Authorization`, `Content-Type` and JSON body on the wire, then the decoded response.

mod zoho_support;

use serde_json::json;
use zoho_cliq::v2;
use zoho_cliq::*;
use zoho_support::Call;

/// Every v2 module, so a module added to the crate without a test here fails
/// `every_v2_module_has_a_test`.
const TESTED: &[&str] = &[
    "bots",
    "calls_meetings",
    "channels",
    "chats",
    "cliq_database",
    "custom_domain",
    "custom_email",
    "departments",
    "designation",
    "events",
    "files",
    "maintenance_bulk_export",
    "messages",
    "reminders",
    "remote_work",
    "roles",
    "scheduled_messages",
    "teams",
    "threads",
    "user_status",
    "userfields",
    "users",
    "widget_map_tickers",
];

#[test]
fn every_v2_module_has_a_test() {
    zoho_support::assert_every_module_tested("v2", TESTED, include_str!("zoho_v2_modules.rs"));
}

#[tokio::test]
async fn bots_trigger_bot_calls() {
    use v2::bots::*;
    let (res, _) = Call::new("POST", "/api/v2/bots/helpdesk/calls")
        .json(json!({
            "text": "Server down",
            "user_ids": ["631874000000002"],
            "retry": 2,
            "loop": 1,
            "actions": [{ "label": "Acknowledge", "action": { "type": "invoke.function", "data": { "name": "ack" } } }],
        }))
        .respond(200, json!({ "id": "call-1", "user_ids": ["631874000000002"] }))
        .run(|c| async move {
            trigger_bot_calls(
                &c,
                &BotUniqueName::from("helpdesk"),
                &TriggerBotCallsBody {
                    text: "Server down".into(),
                    user_ids: Some(vec!["631874000000002".into()]),
                    retry: Some(2),
                    loop_: Some(1),
                    actions: Some(vec![TriggerBotCallsBodyActionsItem {
                        label: "Acknowledge".into(),
                        action: TriggerBotCallsBodyActionsItemAction {
                            type_: "invoke.function".into(),
                            data: json!({ "name": "ack" }),
                        },
                        ..Default::default()
                    }]),
                },
            )
            .await
        })
        .await;
    assert_eq!(res.id, "call-1");
    assert_eq!(res.user_ids, ["631874000000002"]);
}

#[tokio::test]
async fn calls_meetings_get_participants() {
    use v2::calls_meetings::*;
    let (res, _) = Call::new("GET", "/api/v2/mediasessions/1-1-abc/participants")
        .query("next_token=NT==&limit=10&filter=attended")
        .respond(200, json!({ "type": "participants", "data": [{ "id": "7", "name": "Ana", "start_time": 1700000000000_i64 }] }))
        .run(|c| async move {
            get_participants(
                &c,
                &CallId::from("1-1-abc"),
                &GetParticipantsQuery {
                    next_token: Some("NT==".into()),
                    limit: Some(10),
                    filter: Some("attended".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.len(), 1);
    assert_eq!(res.data[0].name, "Ana");
    assert_eq!(res.data[0].start_time, 1_700_000_000_000);
}

#[tokio::test]
async fn channels_update_a_channel_member_s_role() {
    use v2::channels::*;
    // Ids are percent-encoded as one path segment.
    Call::new("PUT", "/api/v2/channels/P1234/members/ana%40zylker.com")
        .json(json!({ "role": "moderator" }))
        .respond_empty(204)
        .run(|c| async move {
            update_a_channel_member_s_role(
                &c,
                &ChannelId::from("P1234"),
                &UserId::from("ana@zylker.com"),
                &UpdateAChannelMemberSRoleBody { role: "moderator".into() },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn chats_retrieve_the_members_of_a_chat() {
    use v2::chats::*;
    let (res, _) = Call::new("GET", "/api/v2/chats/CT_2230_1/members")
        .query("fields=name,email_id")
        .respond(200, json!({ "members": [{ "user_id": "55", "email_id": "ana@zylker.com", "name": "Ana" }] }))
        .run(|c| async move {
            retrieve_the_members_of_a_chat(
                &c,
                &ChatId::from("CT_2230_1"),
                &RetrieveTheMembersOfAChatQuery { fields: Some("name,email_id".into()) },
            )
            .await
        })
        .await;
    assert_eq!(res.members[0].email_id, "ana@zylker.com");
}

#[tokio::test]
async fn cliq_database_update_a_record() {
    use v2::cliq_database::*;
    let (res, _) = Call::new("PUT", "/api/v2/storages/products/records/rec%2F9")
        .json(json!({ "values": { "instock": false, "productid": "P-9" } }))
        .respond(200, json!({ "id": "rec/9", "productid": "P-9", "instock": false }))
        .run(|c| async move {
            update_a_record(
                &c,
                &DatabaseUniqueName::from("products"),
                &RecordId::from("rec/9"),
                &UpdateARecordBody { values: json!({ "instock": false, "productid": "P-9" }) },
            )
            .await
        })
        .await;
    assert_eq!(res.id, "rec/9");
    assert!(!res.instock);
}

#[tokio::test]
async fn custom_domain_verify_a_custom_domain() {
    use v2::custom_domain::*;
    let (res, _) = Call::new("PUT", "/api/v2/customdomain")
        .json(json!({ "status": "verify" }))
        .respond(200, json!({ "data": { "status": "verified", "name": "chat.zylker.com", "ssl_enabled": true } }))
        .run(|c| async move { verify_a_custom_domain(&c, &VerifyACustomDomainBody { status: "verify".into() }).await })
        .await;
    assert_eq!(res.data.name, "chat.zylker.com");
    assert!(res.data.ssl_enabled);
}

#[tokio::test]
async fn custom_email_update_mail_configuration() {
    use v2::custom_email::*;
    let (res, _) = Call::new("PUT", "/api/v2/mailconfigurations/global")
        .json(json!({ "name": "Zylker", "email_id": "noreply@zylker.com", "cname_status": "enabled" }))
        .respond(200, json!({ "data": { "email_id": "noreply@zylker.com", "dkim_status": "not_verified", "cname_status": "verified" } }))
        .run(|c| async move {
            update_mail_configuration(
                &c,
                &UpdateMailConfigurationBody {
                    name: "Zylker".into(),
                    email_id: "noreply@zylker.com".into(),
                    cname_status: "enabled".into(),
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.dkim_status, zoho_cliq::CnameStatus::NotVerified);
    assert_eq!(res.data.cname_status, zoho_cliq::CnameStatus::Verified);
}

#[tokio::test]
async fn departments_add_department_members() {
    use v2::departments::*;
    Call::new("POST", "/api/v2/departments/D-77/members")
        .json(json!({ "email_ids": ["ana@zylker.com", "bo@zylker.com"] }))
        .respond_empty(204)
        .run(|c| async move {
            add_department_members(
                &c,
                &DepartmentId::from("D-77"),
                &AddDepartmentMembersBody {
                    email_ids: Some(vec!["ana@zylker.com".into(), "bo@zylker.com".into()]),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn designation_get_designation_members() {
    use v2::designation::*;
    let (res, _) = Call::new("GET", "/api/v2/designations/42/members")
        .query("limit=25")
        .respond(200, json!({ "data": [{ "id": "9", "display_name": "Ana M" }] }))
        .run(|c| async move {
            get_designation_members(
                &c,
                &DesignationId::from("42"),
                &GetDesignationMembersQuery { limit: 25, ..Default::default() },
            )
            .await
        })
        .await;
    assert_eq!(res.data[0].display_name, "Ana M");
}

#[tokio::test]
async fn events_delete_an_event() {
    use v2::events::*;
    // A DELETE with a JSON body.
    Call::new("DELETE", "/api/v2/events/EV_1")
        .json(json!({ "calendar_id": "CAL_1", "edit_tag": 1700000000123_i64 }))
        .respond_empty(204)
        .run(|c| async move {
            delete_an_event(
                &c,
                &EventId::from("EV_1"),
                &DeleteAnEventBody { calendar_id: "CAL_1".into(), edit_tag: 1_700_000_000_123 },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn files_share_files_in_a_chat() {
    use v2::files::*;
    let (_, request) = Call::new("POST", "/api/v2/chats/CT_9/files")
        .multipart()
        .respond_empty(204)
        .run(|c| async move {
            share_files_in_a_chat(
                &c,
                &ChatId::from("CT_9"),
                &ShareFilesInAChatForm {
                    files: FilePart::new("report.csv", b"a,b\n1,2\n".to_vec()).content_type("text/csv"),
                    comments: Some("Quarterly numbers".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    let content_type = zoho_support::header(&request, "content-type");
    let boundary = content_type.split("boundary=").nth(1).unwrap();
    let body = String::from_utf8(request.body.clone()).unwrap();
    let parts: Vec<&str> = body.split(&format!("--{boundary}")).collect();
    // preamble, two parts, closing `--`
    assert_eq!(parts.len(), 4, "{body}");
    assert_eq!(
        parts[1],
        "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"report.csv\"\r\nContent-Type: text/csv\r\n\r\na,b\n1,2\n\r\n"
    );
    assert_eq!(parts[2], "\r\nContent-Disposition: form-data; name=\"comments\"\r\n\r\nQuarterly numbers\r\n");
    assert_eq!(parts[3], "--\r\n");
}

#[tokio::test]
async fn maintenance_bulk_export_export_members_in_a_conversation() {
    use v2::maintenance_bulk_export::*;
    // Bulk Export is rooted at the domain, not at /api/v2; the documented Content-Type request
    // header picks the export format.
    let (res, _) = Call::new("GET", "/company/6009/maintenanceapi/v2/chats/CT_5/members")
        .query("fields=name,email_id")
        .content_type("text/csv")
        .respond(200, json!({ "data": [{ "name": "Ana", "email": "ana@zylker.com" }] }))
        .run(|c| async move {
            export_members_in_a_conversation(
                &c,
                &CompanyId::from("6009"),
                &ChatId::from("CT_5"),
                &ExportMembersInAConversationQuery { fields: "name,email_id".into() },
            )
            .await
        })
        .await;
    assert_eq!(res.data[0].email, "ana@zylker.com");
}

#[tokio::test]
async fn messages_post_message_in_a_channel() {
    use v2::messages::*;
    Call::new("POST", "/api/v2/channelsbyname/announcements/message")
        .query("bot_unique_name=deploybot")
        .json(json!({ "text": "Release 4.2 is live :tada:", "sync_message": true }))
        .respond_empty(204)
        .run(|c| async move {
            post_message_in_a_channel(
                &c,
                &ChannelUniqueName::from("announcements"),
                &PostMessageInAChannelQuery { bot_unique_name: Some("deploybot".into()), ..Default::default() },
                &PostMessageInAChannelBody {
                    text: "Release 4.2 is live :tada:".into(),
                    sync_message: Some(true),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn reminders_create_a_reminder_for_users() {
    use v2::reminders::*;
    Call::new("POST", "/api/v2/reminders")
        .json(json!({ "content": "Submit timesheets", "time": 1735689600000_i64, "user_ids": ["55", "56"] }))
        .respond_empty(204)
        .run(|c| async move {
            create_a_reminder_for_users(
                &c,
                &CreateAReminderForUsersBody {
                    content: "Submit timesheets".into(),
                    time: 1_735_689_600_000,
                    user_ids: vec!["55".into(), "56".into()],
                },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn remote_work_get_remote_status() {
    use v2::remote_work::*;
    let (res, _) = Call::new("GET", "/api/v2/me")
        .query("source=remote_tools")
        .respond(200, json!({ "checkin_status": true, "status": { "code": "available", "message": "Working" } }))
        .run(|c| async move { get_remote_status(&c, &GetRemoteStatusQuery { source: "remote_tools".into() }).await })
        .await;
    assert!(res.checkin_status);
    assert_eq!(res.status.code, "available");
}

#[tokio::test]
async fn roles_delete_users_from_a_role() {
    use v2::roles::*;
    Call::new("DELETE", "/api/v2/profiles/PR_3/users")
        .json(json!({ "user_ids": ["55"] }))
        .respond_empty(204)
        .run(|c| async move {
            delete_users_from_a_role(&c, &ProfileId::from("PR_3"), &DeleteUsersFromARoleBody { user_ids: vec!["55".into()] })
                .await
        })
        .await;
}

#[tokio::test]
async fn scheduled_messages_send_a_scheduled_message() {
    use v2::scheduled_messages::*;
    let (res, _) = Call::new("POST", "/api/v2/chats/CT_1/scheduledmessages")
        .json(json!({ "text": "Standup in 5", "schedule_time": "1735689600000", "schedule_timezone": "Asia/Kolkata" }))
        .respond(200, json!({ "id": "SM_1", "time": 1735689600000_i64, "timezone": "Asia/Kolkata" }))
        .run(|c| async move {
            send_a_scheduled_message(
                &c,
                &ChatId::from("CT_1"),
                &SendAScheduledMessageBody {
                    text: "Standup in 5".into(),
                    schedule_time: Some("1735689600000".into()),
                    schedule_timezone: Some("Asia/Kolkata".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.id, "SM_1");
    assert_eq!(res.time, 1_735_689_600_000);
}

#[tokio::test]
async fn teams_list_all_teams() {
    use v2::teams::*;
    // No saved example response: the raw `Response` comes back.
    let (res, _) = Call::new("GET", "/api/v2/teams")
        .query("joined=true")
        .respond(200, json!({ "teams": [{ "id": "T1" }] }))
        .run(|c| async move { list_all_teams(&c, &ListAllTeamsQuery { joined: Some(true) }).await })
        .await;
    assert_eq!(res.status.as_u16(), 200);
    assert_eq!(res.operation(), "v2::teams::list_all_teams");
    let value: serde_json::Value = res.json().unwrap();
    assert_eq!(value, json!({ "teams": [{ "id": "T1" }] }));
}

#[tokio::test]
async fn threads_send_a_message_to_an_existing_thread() {
    use v2::threads::*;
    let (res, _) = Call::new("POST", "/api/v2/chats/CT_T_77/message")
        .query("bot_unique_name=deploybot")
        .json(json!({ "text": "Follow-up", "post_in_parent": false }))
        .respond(200, json!({ "message_id": "1700000000000%2055" }))
        .run(|c| async move {
            send_a_message_to_an_existing_thread(
                &c,
                &ThreadChatId::from("CT_T_77"),
                &SendAMessageToAnExistingThreadQuery { bot_unique_name: Some("deploybot".into()) },
                &SendAMessageToAnExistingThreadBody {
                    text: "Follow-up".into(),
                    post_in_parent: Some(false),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.message_id, "1700000000000%2055");
}

#[tokio::test]
async fn user_status_retrieve_a_user_s_status() {
    use v2::user_status::*;
    let (res, _) = Call::new("GET", "/api/v2/users/631874000000002")
        .query("fields=status")
        .respond(200, json!({ "data": { "code": "busy", "message": "In a meeting", "id": 3 } }))
        .run(|c| async move {
            retrieve_a_user_s_status(
                &c,
                &UserId::from("631874000000002"),
                &RetrieveAUserSStatusQuery { fields: "status".into() },
            )
            .await
        })
        .await;
    assert_eq!(res.data.code, "busy");
    assert_eq!(res.data.id, 3);
}

#[tokio::test]
async fn userfields_add_a_userfield() {
    use v2::userfields::*;
    let (res, _) = Call::new("POST", "/api/v2/userfields")
        .json(json!({ "name": "Shirt size", "type": "dropdown", "mandatory": false, "options": ["S", "M", "L"] }))
        .respond(200, json!({ "url": "/api/v2/userfields/UF_1", "data": { "id": "UF_1", "type": "dropdown" } }))
        .run(|c| async move {
            add_a_userfield(
                &c,
                &AddAUserfieldBody {
                    name: "Shirt size".into(),
                    type_: Some("dropdown".into()),
                    mandatory: Some(false),
                    options: Some(vec!["S".into(), "M".into(), "L".into()]),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.id, "UF_1");
    assert_eq!(res.data.type_, "dropdown");
}

#[tokio::test]
async fn users_retrieve_all_users() {
    use v2::users::*;
    let (res, _) = Call::new("GET", "/api/v2/users")
        .query("status=active&fields=email_id,name&limit=2&search=ana%20maria&next_token=abc/def")
        .respond(200, json!({ "data": [{ "id": "1" }, { "id": "2" }], "has_more": true, "next_token": "ghi" }))
        .run(|c| async move {
            retrieve_all_users(
                &c,
                &RetrieveAllUsersQuery {
                    status: Some("active".into()),
                    fields: Some("email_id,name".into()),
                    limit: Some(2),
                    search: Some("ana maria".into()),
                    next_token: Some("abc/def".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.iter().map(|u| u.id.as_str()).collect::<Vec<_>>(), ["1", "2"]);
    assert!(res.has_more);
    assert_eq!(res.next_token, "ghi");
}

#[tokio::test]
async fn widget_map_tickers_add_update_a_ticker() {
    use v2::widget_map_tickers::*;
    Call::new("PUT", "/api/v2/widgets/W_1/maps/M_1")
        .query("appkey=k-123")
        .json(json!({
            "tickers": { "title": "Truck 7", "type": "truck", "last_modified_time": 1700000000000_i64, "latitude": 13, "longitude": 80 }
        }))
        .run(|c| async move {
            add_update_a_ticker(
                &c,
                &WidgetId::from("W_1"),
                &MapId::from("M_1"),
                &AddUpdateATickerQuery { appkey: Some("k-123".into()) },
                &AddUpdateATickerBody {
                    tickers: Some(AddUpdateATickerBodyTickers {
                        title: "Truck 7".into(),
                        type_: "truck".into(),
                        last_modified_time: 1_700_000_000_000,
                        latitude: 13,
                        longitude: 80,
                        ..Default::default()
                    }),
                },
            )
            .await
        })
        .await;
}
