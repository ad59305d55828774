-- Orders from Kafka, totalled per customer in ten-second event-time windows, upserted into PostgreSQL.
-- The connectors come with the job:
--   ./slipway jobs submit-sql CLUSTER examples/sql/kafka-to-postgres.sql --wait \
--     -d org.apache.flink:flink-sql-connector-kafka:5.0.0-2.2 \
--     -d org.apache.flink:flink-connector-jdbc-core:4.0.0-2.0 \
--     -d org.apache.flink:flink-connector-jdbc-postgres:4.0.0-2.0 \
--     -d org.postgresql:postgresql:42.7.10
-- Create the table first (psql): create table totals (customer text, window_start timestamp(3), orders bigint,
--   amount bigint, primary key (customer, window_start));
-- Orders are JSON: {"customer":"ada","amount":5,"ts":"2026-12-07 10:00:01.000"}; replace the topic, broker and database.
SET 'pipeline.name' = 'order totals';

CREATE TABLE orders (
  customer STRING,
  amount INT,
  ts TIMESTAMP(3),
  WATERMARK FOR ts AS ts - INTERVAL '1' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = 'orders',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'order-totals',
  'scan.startup.mode' = 'earliest-offset',
  'format' = 'json'
);

CREATE TABLE totals (
  customer STRING,
  window_start TIMESTAMP(3),
  orders BIGINT,
  amount BIGINT,
  PRIMARY KEY (customer, window_start) NOT ENFORCED
) WITH (
  'connector' = 'jdbc',
  'url' = 'jdbc:postgresql://127.0.0.1:5432/warehouse',
  'table-name' = 'totals',
  'username' = 'postgres',
  'password' = 'postgres'
);

INSERT INTO totals
SELECT customer, window_start, COUNT(*), SUM(amount)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(ts), INTERVAL '10' SECOND))
GROUP BY customer, window_start, window_end;
