-- Test data for the query runner corpus (applied by scripts/setup-postgres.sh as the
-- superuser; idempotent). Names and strings are chosen to trip keyword filters.
CREATE TABLE IF NOT EXISTS public.orders (
  id integer PRIMARY KEY,
  customer text NOT NULL,
  amount numeric(10,2) NOT NULL,
  created_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  note text
);
INSERT INTO public.orders (id, customer, amount, created_at, updated_by, note)
SELECT g, 'customer-' || (g % 7), (g * 1.25)::numeric(10,2),
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 hour',
       CASE WHEN g % 2 = 0 THEN 'admin' ELSE 'updater' END,
       CASE g WHEN 1 THEN 'DROP TABLE orders; -- just text'
              WHEN 2 THEN 'please DELETE FROM my list, then INSERT INTO the next'
              WHEN 3 THEN 'LIMIT 5'
              ELSE NULL END
FROM generate_series(1, 250) AS g
ON CONFLICT (id) DO NOTHING;

CREATE TABLE IF NOT EXISTS public.settings (
  name text PRIMARY KEY,
  limit_value integer NOT NULL,
  "select" text,
  created_by text
);
INSERT INTO public.settings (name, limit_value, "select", created_by) VALUES
  ('max_upload', 10, 'yes', 'CREATE USER script'),
  ('grant_window', 30, 'no', 'ops'),
  ('truncate_after', 90, NULL, 'ops')
ON CONFLICT (name) DO NOTHING;

CREATE SEQUENCE IF NOT EXISTS public.invoice_seq START 1000;

-- a function in the readable schema that writes: reachable only if the function policy fails
CREATE OR REPLACE FUNCTION public.bump_invoice() RETURNS bigint
  LANGUAGE sql VOLATILE AS $$ SELECT nextval('public.invoice_seq') $$;
