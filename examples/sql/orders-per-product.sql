-- Generated orders, counted and summed per product in 5-second tumbling windows.
-- Submit it to a cluster with: ./slipway jobs submit-sql <cluster> examples/sql/orders-per-product.sql --wait
-- The totals go to the TaskManagers' standard output (the print connector): ./slipway logs <cluster>/<pod>
SET 'pipeline.name' = 'orders per product';

CREATE TABLE orders (
  product INT,
  amount  BIGINT,
  ts AS PROCTIME()
) WITH (
  'connector' = 'datagen',
  'rows-per-second' = '100',
  'fields.product.min' = '1',
  'fields.product.max' = '8',
  'fields.amount.min' = '1',
  'fields.amount.max' = '500'
);

CREATE TABLE totals (
  product      INT,
  window_start TIMESTAMP(3),
  orders       BIGINT,
  amount       BIGINT
) WITH ('connector' = 'print');

INSERT INTO totals
SELECT product, window_start, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '5' SECOND))
GROUP BY product, window_start, window_end;
