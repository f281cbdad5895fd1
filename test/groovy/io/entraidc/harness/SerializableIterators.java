package io.entraidc.harness;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The Groovy category Jenkins runs pipeline code under so that loops survive a program save
 * (workflow-cps: persistence/IteratorHack.java, registered in CpsVmExecutorService): iterators
 * over lists, sets, arrays and deques are serializable, and a map's entrySet / keySet / values
 * are serializable copies. Anything else a loop or a local holds must be Serializable itself.
 * Java, so that these methods' own calls do not go through the category.
 */
public final class SerializableIterators {
    private SerializableIterators() {
    }

    /** Index-based, like the JDK's ArrayList iterator, but Serializable. */
    static final class IndexIterator implements Iterator<Object>, Serializable {
        private static final long serialVersionUID = 1L;
        private final List<Object> list;
        private int cursor;

        IndexIterator(List<Object> list) {
            this.list = list;
        }

        @Override
        public boolean hasNext() {
            return cursor < list.size();
        }

        @Override
        public Object next() {
            if (cursor >= list.size()) {
                throw new NoSuchElementException();
            }
            return list.get(cursor++);
        }

        @Override
        public void remove() {
            list.remove(--cursor);
        }
    }

    @SuppressWarnings("unchecked")
    public static Iterator<Object> iterator(List<?> self) {
        return new IndexIterator((List<Object>) self);
    }

    public static Iterator<Object> iterator(Set<?> self) {
        return new IndexIterator(new ArrayList<Object>(self));
    }

    public static Iterator<Object> iterator(Deque<?> self) {
        return new IndexIterator(new ArrayList<Object>(self));
    }

    public static Iterator<Object> iterator(Object[] self) {
        return new IndexIterator(Arrays.asList(self));
    }

    public static Set<Map.Entry<Object, Object>> entrySet(Map<?, ?> self) {
        Set<Map.Entry<Object, Object>> copy = new LinkedHashSet<>();
        for (Map.Entry<?, ?> e : self.entrySet()) {
            copy.add(new AbstractMap.SimpleImmutableEntry<Object, Object>(e.getKey(), e.getValue()));
        }
        return copy;
    }

    public static Set<Object> keySet(Map<?, ?> self) {
        return new LinkedHashSet<Object>(self.keySet());
    }

    public static Collection<Object> values(Map<?, ?> self) {
        return new ArrayList<Object>(self.values());
    }
}
