-- The web widget as a channel adapter: a message the shop sends into a conversation (the
-- owner's reply from the inbox, a message the shop starts) is stored as an assistant message of
-- the conversation, for the widget to fetch. Idempotent per key: the same key stores once.

-- -> {stored: boolean, message_id, conversation_id, created_at}; null when the conversation is unknown.
create or replace function public.chat_outbound_store(
  p_channel text, p_user_key text, p_key text, p_text text, p_reply jsonb, p_meta jsonb default '{}'::jsonb)
returns jsonb language plpgsql volatile as $$
declare
  t timestamptz := public.app_now();
  v_conversation uuid;
  v_external text := 'out:' || p_key;
  m public.chat_message;
  v_stored boolean := false;
begin
  if p_key is null or length(p_key) not between 1 and 200 then
    raise exception 'chat_outbound_store: the key must be 1 to 200 characters' using errcode = '22023';
  end if;
  select id into v_conversation from public.chat_conversation where channel = p_channel and user_key = p_user_key;
  if v_conversation is null then return null; end if;

  insert into public.chat_message (conversation_id, role, external_id, content, reply, meta, created_at)
  values (v_conversation, 'assistant', v_external, coalesce(p_text, ''), p_reply, coalesce(p_meta, '{}'::jsonb), t)
  on conflict (conversation_id, external_id) do nothing
  returning * into m;
  v_stored := found;
  if v_stored then
    update public.chat_conversation set updated_at = t where id = v_conversation;
  else
    select * into m from public.chat_message where conversation_id = v_conversation and external_id = v_external;
  end if;
  return jsonb_build_object('stored', v_stored, 'message_id', m.id, 'conversation_id', v_conversation, 'created_at', m.created_at);
end
$$;

select public.comptoir_lock_down();
