package dev.slipway.scheduling;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The last {@code capacity} ids seen, for idempotence under at-least-once delivery. Bounded so
 * state does not grow with history; redelivery happens within a short window of the original.
 */
final class BoundedIdSet {

    private final int capacity;
    private final ArrayDeque<String> order;
    private final Set<String> ids;

    BoundedIdSet(int capacity) {
        this.capacity = capacity;
        this.order = new ArrayDeque<>();
        this.ids = new HashSet<>();
    }

    boolean contains(String id) {
        return ids.contains(id);
    }

    /** Adds the id; false when it was there already. */
    boolean add(String id) {
        if (!ids.add(id)) {
            return false;
        }
        order.addLast(id);
        if (order.size() > capacity) {
            ids.remove(order.removeFirst());
        }
        return true;
    }

    /** Oldest first, the order a restore must add them in. */
    List<String> ids() {
        return List.copyOf(order);
    }

    static BoundedIdSet of(int capacity, List<String> ids) {
        BoundedIdSet set = new BoundedIdSet(capacity);
        ids.forEach(set::add);
        return set;
    }
}
