-- Personal-data classification of the Wix sales loop's tables (see 20261130007010_privacy_classification.sql).
-- The offer applied ({code, amount}), the payment provider and its payment id: no identity in them.
select public.privacy_classify('app_checkout_order', 'none', 'coupon', 'payment_id', 'provider');
-- Wix order ids and numbers, the sync state, and the error's name and status (never the order).
select public.privacy_classify('app_wix_order_sync', 'none', 'state', 'wix_order_id', 'wix_order_number', 'last_error');
