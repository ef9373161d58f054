-- Personal-data classification of the webhook job queue (see 20261130007010_privacy_classification.sql):
-- a channel name and a platform message id, no identity.
select public.privacy_classify('channel_job', 'none', 'channel', 'message_id');
