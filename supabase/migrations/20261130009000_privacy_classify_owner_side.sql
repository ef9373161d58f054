-- Personal-data classification of the owner's inbox (see 20261130007010_privacy_classification.sql).
-- The owner's private note is about the shopper: it goes with the conversation. The sign-in,
-- session, phone-window and quick-reply tables hold the shop's own staff (OWNER_EMAILS,
-- ADMIN_PHONE), never a shopper: 'staff', outside a shopper's export and erasure.
select public.privacy_classify('chat_conversation', 'text', 'note');
select public.privacy_classify('owner_alert', 'none', 'error', 'provider_message_id', 'sent_as', 'status');
select public.privacy_classify('owner_link', 'none', 'token_hash');
select public.privacy_classify('owner_login_code', 'none', 'code_hash');
select public.privacy_classify('owner_login_code', 'staff', 'email');
select public.privacy_classify('owner_phone', 'staff', 'phone');
select public.privacy_classify('owner_quick_reply', 'none', 'text');
select public.privacy_classify('owner_session', 'none', 'token_hash');
select public.privacy_classify('owner_session', 'staff', 'email');
