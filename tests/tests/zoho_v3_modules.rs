//! One real call per v3 module (22 modules): each goes through the generated function with typed
//! ids, query and body structs, and [`Call`] checks the exact method, path, query string,
//! `Authorization`, `Content-Type` and JSON body on the wire, then the decoded response.

mod zoho_support;

use serde_json::json;
use zoho_cliq::v3;
use zoho_cliq::*;
use zoho_support::Call;

/// Every v3 module, so a module added to the crate without a test here fails
/// `every_v3_module_has_a_test`.
const TESTED: &[&str] = &[
    "bots",
    "buttons",
    "chats",
    "datastores",
    "dnd_settings",
    "extensions",
    "functions",
    "keyboard_shortcuts",
    "mentions",
    "message_actions",
    "message_cards",
    "message_content",
    "messages",
    "mobile_settings",
    "my_pins_and_chat_folders",
    "pin_messages",
    "reminders",
    "scheduled_messages",
    "slash_commands",
    "stars",
    "threads",
    "user_preferences",
];

#[test]
fn every_v3_module_has_a_test() {
    zoho_support::assert_every_module_tested("v3", TESTED, include_str!("zoho_v3_modules.rs"));
}

#[tokio::test]
async fn bots_update_a_handler_for_a_specific_bot() {
    use v3::bots::*;
    let (res, _) = Call::new("PATCH", "/api/v3/bots/B_100/handlers/message_handler")
        .query("handler_id=H_9")
        .json(json!({
            "script": "response = {\"text\": \"hi\"};\nreturn response;",
            "permissions": ["read_messages"],
            "sub_actions": [{ "name": "Escalate" }],
        }))
        .respond(200, json!({ "type": "handler", "data": { "type": "message_handler", "id": "H_9" } }))
        .run(|c| async move {
            update_a_handler_for_a_specific_bot(
                &c,
                &BotId::from("B_100"),
                &HandlerType::from("message_handler"),
                &UpdateAHandlerForASpecificBotQuery { handler_id: Some("H_9".into()) },
                &UpdateAHandlerForASpecificBotBody {
                    script: Some("response = {\"text\": \"hi\"};\nreturn response;".into()),
                    permissions: Some(vec!["read_messages".into()]),
                    sub_actions: Some(vec![CreateAHandlerForASpecificBotBodySubActionsItem {
                        name: "Escalate".into(),
                        ..Default::default()
                    }]),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.id, "H_9");
    assert_eq!(res.data.type_, "message_handler");
}

#[tokio::test]
async fn buttons_instant_buttons() {
    use v3::buttons::*;
    // `references` is a map (the overrides say so): the text refers to its keys.
    let (res, _) = Call::new("POST", "/api/v3/chats/CT_1/messages")
        .json(json!({
            "text": "Approve the deploy? [Approve]($1)",
            "references": { "1": { "type": "button", "object": { "label": "Approve", "action": { "type": "invoke.function", "data": { "name": "approve" } } } } },
        }))
        .respond(200, json!({ "Response_Code": "ok" }))
        .run(|c| async move {
            let button = InstantButtonsBodyReferencesValue {
                type_: "button".into(),
                object: InstantButtonsBodyReferencesValueObject {
                    label: "Approve".into(),
                    action: InstantButtonsBodyReferencesValueObjectAction {
                        type_: zoho_cliq::ButtonsActionType::InvokeFunction,
                        data: json!({ "name": "approve" }),
                    },
                    ..Default::default()
                },
            };
            instant_buttons(
                &c,
                &ChatId::from("CT_1"),
                &InstantButtonsBody {
                    text: "Approve the deploy? [Approve]($1)".into(),
                    references: [("1".to_owned(), button)].into(),
                },
            )
            .await
        })
        .await;
    assert_eq!(res.response_code, "ok");
}

#[tokio::test]
async fn chats_remove_members_from_a_chat() {
    use v3::chats::*;
    let (res, _) = Call::new("DELETE", "/api/v3/chats/CT_1/members")
        .query("user_ids=55,56")
        .respond(200, json!({ "type": "chat", "data": { "chat_id": "CT_1", "removed_user_ids": ["55", "56"] } }))
        .run(|c| async move {
            remove_members_from_a_chat(&c, &ChatId::from("CT_1"), &RemoveMembersFromAChatQuery { user_ids: "55,56".into() })
                .await
        })
        .await;
    assert_eq!(res.data.removed_user_ids, ["55", "56"]);
}

#[tokio::test]
async fn datastores_update_a_record_in_a_datastore() {
    use v3::datastores::*;
    let (res, _) = Call::new("PATCH", "/api/v3/datastores/sales%2Fleads%202024/records/R_1")
        .query("extension_key=ext%20key%26more")
        .json(json!({ "values": { "empname": "Ana", "isactive": true } }))
        .respond(200, json!({ "type": "record", "data": { "id": "R_1", "empname": "Ana", "isactive": true } }))
        .run(|c| async move {
            update_a_record_in_a_datastore(
                &c,
                &DatastoreUniqueName::from("sales/leads 2024"),
                &RecordId::from("R_1"),
                &UpdateARecordInADatastoreQuery { extension_key: Some("ext key&more".into()) },
                &UpdateARecordInADatastoreBody { values: json!({ "empname": "Ana", "isactive": true }) },
            )
            .await
        })
        .await;
    assert_eq!(res.data.empname, "Ana");
    assert!(res.data.isactive);
}

#[tokio::test]
async fn dnd_settings_update_dnd_preferences() {
    use v3::dnd_settings::*;
    Call::new("PUT", "/api/v3/settings/dnd-preferences")
        .json(json!({ "quiet_hours": "22:00-07:00" }))
        .respond_empty(204)
        .run(|c| async move {
            update_dnd_preferences(
                &c,
                &UpdateDndPreferencesBody { quiet_hours: Some("22:00-07:00".into()), ..Default::default() },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn extensions_delete_a_specific_extension_property() {
    use v3::extensions::*;
    Call::new("DELETE", "/api/v3/extensions/EX_1/properties/api.token")
        .query("extension_key=k1")
        .respond_empty(204)
        .run(|c| async move {
            delete_a_specific_extension_property(
                &c,
                &ExtensionId::from("EX_1"),
                &ExtensionPropertyKeyName::from("api.token"),
                &DeleteASpecificExtensionPropertyQuery { extension_key: "k1".into() },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn functions_create_a_new_function() {
    use v3::functions::*;
    let (res, _) = Call::new("POST", "/api/v3/functions")
        .json(json!({
            "name": "notify_oncall",
            "description": "Pages the on-call engineer",
            "function_type": "button",
            "execution_type": "webhook",
            "execution_url": "https://hooks.zylker.com/cliq",
        }))
        .respond(200, json!({ "type": "function", "data": { "id": "F_1", "name": "notify_oncall", "execution_url": "https://hooks.zylker.com/cliq" } }))
        .run(|c| async move {
            create_a_new_function(
                &c,
                &CreateANewFunctionBody {
                    name: "notify_oncall".into(),
                    description: "Pages the on-call engineer".into(),
                    function_type: "button".into(),
                    execution_type: Some("webhook".into()),
                    execution_url: Some("https://hooks.zylker.com/cliq".into()),
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.id, "F_1");
    assert_eq!(res.data.execution_url.as_deref(), Some("https://hooks.zylker.com/cliq"));
}

#[tokio::test]
async fn keyboard_shortcuts_delete_keyboard_shortcuts_customization() {
    use v3::keyboard_shortcuts::*;
    Call::new("DELETE", "/api/v3/settings/keyboard-shortcuts")
        .json(json!({ "type": "custom", "basic": { "search": { "mac": "cmd+k", "windows": "ctrl+k" } } }))
        .respond_empty(204)
        .run(|c| async move {
            delete_keyboard_shortcuts_customization(
                &c,
                &DeleteKeyboardShortcutsCustomizationBody {
                    basic: Some(
                        [(
                            "search".to_owned(),
                            UpdateKeyboardShortcutsBodyBasicValue {
                                mac: Some("cmd+k".into()),
                                windows: Some("ctrl+k".into()),
                            },
                        )]
                        .into(),
                    ),
                    type_: Some("custom".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn mentions_retrieve_mentions_and_replies() {
    use v3::mentions::*;
    let (res, _) = Call::new("GET", "/api/v3/mentions")
        .query("from_time=1700000000000&limit=50&next_token=n+1&type=direct")
        .respond(200, json!({ "has_more": false, "next_token": "", "data": [{ "id": "MN_1", "status": "unread" }] }))
        .run(|c| async move {
            retrieve_mentions_and_replies(
                &c,
                &RetrieveMentionsAndRepliesQuery {
                    from_time: Some(1_700_000_000_000),
                    limit: Some(50),
                    next_token: Some("n+1".into()),
                    type_: Some("direct".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert!(!res.has_more);
    assert_eq!(res.data[0].id, "MN_1");
}

#[tokio::test]
async fn message_actions_update_a_handler_for_a_specific_message_action() {
    use v3::message_actions::*;
    let (res, _) = Call::new("PATCH", "/api/v3/messageactions/MA_1/handlers/execution_handler")
        .json(json!({ "script": "return {};" }))
        .respond(200, json!({ "type": "handler", "data": { "name": "execution_handler", "function_id": "F_2" } }))
        .run(|c| async move {
            update_a_handler_for_a_specific_message_action(
                &c,
                &MessageActionId::from("MA_1"),
                &HandlerType::from("execution_handler"),
                &UpdateAHandlerForASpecificMessageActionBody { script: Some("return {};".into()), ..Default::default() },
            )
            .await
        })
        .await;
    assert_eq!(res.data.function_id, "F_2");
}

#[tokio::test]
async fn message_cards_post_a_message_card_to_a_channel() {
    use v3::message_cards::*;
    let (res, _) = Call::new("POST", "/api/v3/channels/ops-alerts/message")
        .json(json!({
            "text": "Disk usage",
            "card": { "theme": "modern-inline", "title": "db-01 at 91%" },
            "slides": [{ "type": "text", "data": "Clean up /var/log" }],
        }))
        .respond(200, json!({ "type": "message", "data": { "id": "MSG_1", "card": { "theme": "modern-inline", "title": "db-01 at 91%" } } }))
        .run(|c| async move {
            post_a_message_card_to_a_channel(
                &c,
                &ChannelUniqueName::from("ops-alerts"),
                &PostAMessageCardToAChannelBody {
                    text: Some("Disk usage".into()),
                    card: PostAMessageCardToAChannelBodyCard {
                        theme: "modern-inline".into(),
                        title: "db-01 at 91%".into(),
                        ..Default::default()
                    },
                    slides: Some(vec![PostAMessageCardToAChannelBodySlidesItem {
                        type_: "text".into(),
                        data: Some("Clean up /var/log".into()),
                        ..Default::default()
                    }]),
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.id, "MSG_1");
    assert_eq!(res.data.card.title, "db-01 at 91%");
}

#[tokio::test]
async fn message_content_table() {
    use v3::message_content::*;
    let (res, _) = Call::new("POST", "/api/v3/chats/CT_1/messages")
        .json(json!({
            "text": "On-call rota",
            "slides": [{ "type": "table", "title": "Week 12", "data": { "headers": ["Day", "Who"], "rows": [{ "Day": "Mon", "Who": "Ana" }] } }],
        }))
        .respond(200, json!({ "Response_Code": "ok" }))
        .run(|c| async move {
            table(
                &c,
                &ChatId::from("CT_1"),
                &TableBody {
                    text: "On-call rota".into(),
                    slides: Some(vec![TableBodySlidesItem {
                        type_: Some("table".into()),
                        title: Some("Week 12".into()),
                        data: TableBodySlidesItemData {
                            headers: Some(vec!["Day".into(), "Who".into()]),
                            rows: Some(vec![[("Day".to_owned(), "Mon".to_owned()), ("Who".to_owned(), "Ana".to_owned())].into()]),
                            ..Default::default()
                        }
                        .into(),
                    }]),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.response_code, "ok");
}

#[tokio::test]
async fn messages_post_message_in_a_channel_with_channel_id() {
    use v3::messages::*;
    Call::new("POST", "/api/v3/channels/O_123/messages")
        .query("bot_unique_name=deploybot&mark_as_read=true")
        .json(json!({ "text": "Build #88 passed", "reply_to": "1700000000000_55" }))
        .respond_empty(204)
        .run(|c| async move {
            post_message_in_a_channel_with_channel_id(
                &c,
                &ChannelId::from("O_123"),
                &PostMessageInAChannelWithChannelIdQuery {
                    bot_unique_name: Some("deploybot".into()),
                    mark_as_read: Some(true),
                    ..Default::default()
                },
                &PostMessageInAChannelWithChannelIdBody {
                    text: "Build #88 passed".into(),
                    reply_to: Some("1700000000000_55".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn mobile_settings_update_mobile_settings() {
    use v3::mobile_settings::*;
    Call::new("PUT", "/api/v3/settings/mobile")
        .query("file_summary=true")
        .json(json!({ "last_seen": "contacts", "notification": { "direct_message": "enabled", "MT": "disabled" } }))
        .respond_empty(204)
        .run(|c| async move {
            update_mobile_settings(
                &c,
                &UpdateMobileSettingsQuery { file_summary: Some("true".into()) },
                &UpdateMobileSettingsBody {
                    last_seen: Some("contacts".into()),
                    notification: Some(UpdateMobileSettingsBodyNotification {
                        direct_message: Some(zoho_cliq::EnabledOrDisabled::Enabled),
                        mt: Some(zoho_cliq::EnabledOrDisabled::Disabled),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn my_pins_and_chat_folders_pin_a_chat_to_a_chat_folder() {
    use v3::my_pins_and_chat_folders::*;
    let (res, _) = Call::new("POST", "/api/v3/chats/CT_1/pins")
        .json(json!({ "category_id": "CAT_4" }))
        .respond(200, json!({ "type": "pin", "data": { "chat_id": "CT_1", "category_id": "CAT_4" } }))
        .run(|c| async move {
            pin_a_chat_to_a_chat_folder(
                &c,
                &ChatId::from("CT_1"),
                &PinAChatToAChatFolderBody { category_id: Some("CAT_4".into()) },
            )
            .await
        })
        .await;
    assert_eq!(res.data.category_id, "CAT_4");
}

#[tokio::test]
async fn pin_messages_get_primary_pinned_message() {
    use v3::pin_messages::*;
    let (res, _) = Call::new("GET", "/api/v3/chats/CT_1/pin-messages")
        .query("primary=true")
        .respond(200, json!({ "id": "PM_1", "is_pinned": true, "pin_information": { "is_primary": true, "expiry_time": -1 } }))
        .run(|c| async move {
            get_primary_pinned_message(&c, &ChatId::from("CT_1"), &GetPrimaryPinnedMessageQuery::default())
                .await
        })
        .await;
    assert_eq!(res.id, "PM_1");
    assert!(res.pin_information.is_primary);
    assert_eq!(res.pin_information.expiry_time, -1);
}

#[tokio::test]
async fn reminders_batch_edit_reminders() {
    use v3::reminders::*;
    let (res, _) = Call::new("PUT", "/api/v3/reminders/edits")
        .json(json!({ "reminders": [{ "reminder_id": "R_1", "time": 1735689600000_i64 }, { "reminder_id": "R_2", "time": 1735693200000_i64 }] }))
        .respond(200, json!({ "status": "success", "data": [{ "status": "success", "reminder_id": "R_1" }] }))
        .run(|c| async move {
            batch_edit_reminders(
                &c,
                &BatchEditRemindersBody {
                    reminders: vec![
                        BatchEditRemindersBodyRemindersItem { reminder_id: "R_1".into(), time: 1_735_689_600_000 },
                        BatchEditRemindersBodyRemindersItem { reminder_id: "R_2".into(), time: 1_735_693_200_000 },
                    ],
                },
            )
            .await
        })
        .await;
    assert_eq!(res.status, "success");
    assert_eq!(res.data[0].reminder_id, "R_1");
}

#[tokio::test]
async fn scheduled_messages_edit_a_scheduled_message() {
    use v3::scheduled_messages::*;
    let (res, _) = Call::new("PUT", "/api/v3/chats/CT_1/scheduledmessages/SM_7")
        .json(json!({ "text": "Moved to 10:30", "schedule_time": 1735695000000_i64, "schedule_timezone": "Europe/Berlin" }))
        .respond(200, json!({ "type": "scheduled_message", "data": { "id": "SM_7", "timezone": "Europe/Berlin" } }))
        .run(|c| async move {
            edit_a_scheduled_message(
                &c,
                &ChatId::from("CT_1"),
                &ScheduledMessageId::from("SM_7"),
                &EditAScheduledMessageBody {
                    text: Some("Moved to 10:30".into()),
                    schedule_time: Some(1_735_695_000_000),
                    schedule_timezone: Some("Europe/Berlin".into()),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.id, "SM_7");
    assert_eq!(res.data.timezone, "Europe/Berlin");
}

#[tokio::test]
async fn slash_commands_update_a_slash_command() {
    use v3::slash_commands::*;
    let (res, _) = Call::new("PATCH", "/api/v3/commands/SC_3")
        .json(json!({ "hint": "Deploy a service", "team_ids": [11, 12], "max_suggestions": 5 }))
        .respond(200, json!({ "type": "command", "data": { "id": "SC_3", "hint": "Deploy a service" } }))
        .run(|c| async move {
            update_a_slash_command(
                &c,
                &SlashCommandId::from("SC_3"),
                &UpdateASlashCommandBody {
                    hint: Some("Deploy a service".into()),
                    team_ids: Some(vec![11, 12]),
                    max_suggestions: Some(5),
                    ..Default::default()
                },
            )
            .await
        })
        .await;
    assert_eq!(res.data.hint, "Deploy a service");
}

#[tokio::test]
async fn stars_star_a_message_or_update_star_type() {
    use v3::stars::*;
    let (res, _) = Call::new("POST", "/api/v3/stars")
        .json(json!({ "chat_id": "CT_1", "message_id": "1700000000000_55", "star_type": "important" }))
        .respond(200, json!({ "id": "1700000000000_55", "star_information": { "star_type": "important" } }))
        .run(|c| async move {
            star_a_message_or_update_star_type(
                &c,
                &StarAMessageOrUpdateStarTypeBody {
                    chat_id: "CT_1".into(),
                    message_id: "1700000000000_55".into(),
                    star_type: "important".into(),
                },
            )
            .await
        })
        .await;
    assert_eq!(res.star_information.star_type, zoho_cliq::StarType::Important);
}

#[tokio::test]
async fn threads_update_the_state_of_a_thread() {
    use v3::threads::*;
    Call::new("PUT", "/api/v3/threads/CT_T_9")
        .query("appkey=k-9")
        .json(json!({ "action": "close" }))
        .respond_empty(204)
        .run(|c| async move {
            update_the_state_of_a_thread(
                &c,
                &ThreadChatId::from("CT_T_9"),
                &UpdateTheStateOfAThreadQuery { appkey: Some("k-9".into()), ..Default::default() },
                &UpdateTheStateOfAThreadBody { action: "close".into() },
            )
            .await
        })
        .await;
}

#[tokio::test]
async fn user_preferences_get_user_preferences() {
    use v3::user_preferences::*;
    let (res, _) = Call::new("GET", "/api/v3/settings/user-preferences")
        .query("keys=dark_mode,cliq_font_size")
        .respond(200, json!({ "userpreferences": { "dark_mode": "enabled", "cliq_font_size": "14" } }))
        .run(|c| async move {
            get_user_preferences(&c, &GetUserPreferencesQuery { keys: Some("dark_mode,cliq_font_size".into()) }).await
        })
        .await;
    assert_eq!(res.userpreferences.dark_mode, zoho_cliq::EnabledOrDisabled::Enabled);
    assert_eq!(res.userpreferences.cliq_font_size, "14");
    assert_eq!(res.userpreferences.ui_theme, "", "absent fields take their default");
}
