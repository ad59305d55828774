package dev.slipway.indexer.metrics;

/** Running min, max, sum and count of the values in one time bucket. */
final class Bucket {

    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum;
    long count;

    void add(double min, double max, double sum, long count) {
        this.min = Math.min(this.min, min);
        this.max = Math.max(this.max, max);
        this.sum += sum;
        this.count += count;
    }
}
