-- Personal-data classification of the dialogue state (see 20261130007010_privacy_classification.sql):
-- products shown and the pending question, which may quote what the shopper wrote; it goes with
-- its conversation (on delete cascade).
select public.privacy_classify('chat_dialogue', 'text', 'state');
