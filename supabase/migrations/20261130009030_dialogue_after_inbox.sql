-- chat_turn_begin_dialogue passes the owner inbox's arguments through (hand-off timers, the
-- shopper-facing lines, the contact email): chat_turn_begin gained them in 20261130006000, after
-- the dialogue wrapper was written (20261130004000) with the earlier argument list.
drop function if exists public.chat_turn_begin_dialogue(text, text, text, text, text, text, text, integer, integer, jsonb, integer);

create or replace function public.chat_turn_begin_dialogue(
  p_channel text, p_user_key text, p_message_id text, p_text text,
  p_payload text default null, p_user_name text default null, p_fallback_user_key text default null,
  p_history_chars integer default 8000, p_history_max integer default 30, p_rate_limits jsonb default '[]'::jsonb,
  p_answer_lease_seconds integer default 30,
  p_wait_minutes integer default 10, p_idle_hours integer default 24, p_lines jsonb default '{}'::jsonb,
  p_default_lang text default 'fr', p_contact_email text default null)
returns jsonb language plpgsql volatile as $$
declare
  r jsonb;
begin
  r := public.chat_turn_begin(p_channel => p_channel, p_user_key => p_user_key, p_message_id => p_message_id,
    p_text => p_text, p_payload => p_payload, p_user_name => p_user_name, p_fallback_user_key => p_fallback_user_key,
    p_history_chars => p_history_chars, p_history_max => p_history_max, p_rate_limits => p_rate_limits,
    p_answer_lease_seconds => p_answer_lease_seconds, p_wait_minutes => p_wait_minutes, p_idle_hours => p_idle_hours,
    p_lines => p_lines, p_default_lang => p_default_lang, p_contact_email => p_contact_email);
  if r->>'status' = 'ok' then
    r := r || jsonb_build_object('dialogue', coalesce(
      (select d.state from public.chat_dialogue d where d.conversation_id = (r->'conversation'->>'id')::uuid), '{}'::jsonb));
  end if;
  return r;
end
$$;

select public.comptoir_lock_down();
