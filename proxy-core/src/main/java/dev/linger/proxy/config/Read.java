package dev.linger.proxy.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What reading one value of the configuration gave: the value, or a failed read whose problem is already
 * recorded in {@link Problems}. Recording a problem and failing a read are one step
 * ({@link Section#report}), so a failed read is never reported twice and never reaches a record:
 * {@link #build} makes a record only from reads that all succeeded.
 *
 * <p>A read that succeeded may still belong to a configuration with problems elsewhere (an unknown key,
 * two listeners on one address); {@link ConfigLoader} throws whenever any problem was recorded.
 */
final class Read<T> {

    private static final Read<?> FAILED = new Read<>(Optional.empty());

    private final Optional<T> value;

    private Read(Optional<T> value) {
        this.value = value;
    }

    static <T> Read<T> of(T value) {
        return new Read<>(Optional.of(value));
    }

    /** Only for a problem already recorded; {@link Section#report} records one and returns this. */
    @SuppressWarnings("unchecked")
    static <T> Read<T> failed() {
        return (Read<T>) FAILED;
    }

    boolean ok() {
        return value.isPresent();
    }

    /** The value; asking a failed read for one is a bug in the reader, not a problem of the file. */
    T get() {
        return value.orElseThrow(() -> new IllegalStateException("a failed read has no value"));
    }

    <R> Read<R> map(Function<? super T, ? extends R> mapper) {
        return ok() ? of(mapper.apply(get())) : failed();
    }

    <R> Read<R> flatMap(Function<? super T, Read<R>> next) {
        return ok() ? next.apply(get()) : failed();
    }

    void ifOk(Consumer<? super T> action) {
        value.ifPresent(action);
    }

    /** {@code record}, built when every one of {@code parts} succeeded; failed (nothing built) otherwise. */
    static <T> Read<T> build(Supplier<T> record, Read<?>... parts) {
        for (Read<?> part : parts) {
            if (!part.ok()) {
                return failed();
            }
        }
        return of(record.get());
    }

    /** The values of {@code reads}, in order, when every one succeeded. */
    static <T> Read<List<T>> all(List<Read<T>> reads) {
        List<T> values = new ArrayList<>();
        for (Read<T> read : reads) {
            if (!read.ok()) {
                return failed();
            }
            values.add(read.get());
        }
        return of(List.copyOf(values));
    }
}
