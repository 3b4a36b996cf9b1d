package org.wharf.common.logging;

import org.slf4j.MDC;
import org.wharf.common.envelope.Envelope;

/**
 * The record a thread is working on: its {@code ce_id}, correlation id and {@code ce_type} in the MDC,
 * so that every log line written meanwhile names the record (fields of the JSON log lines), and the
 * record itself for whoever needs to know what caused what (the job metrics). Closing restores what
 * was there before.
 */
public final class RecordContext implements AutoCloseable {

    public static final String CE_ID = "ce_id";
    public static final String CORRELATION_ID = "correlationid";
    public static final String CE_TYPE = "ce_type";

    private static final ThreadLocal<Envelope> CURRENT = new ThreadLocal<>();

    private final Envelope previous;

    private RecordContext(Envelope previous) {
        this.previous = previous;
    }

    /** Marks {@code envelope} as the record this thread works on until the returned context is closed. */
    public static RecordContext enter(Envelope envelope) {
        RecordContext context = new RecordContext(CURRENT.get());
        set(envelope);
        return context;
    }

    /** The record this thread is working on, or null. */
    public static Envelope current() {
        return CURRENT.get();
    }

    @Override
    public void close() {
        set(previous);
    }

    private static void set(Envelope envelope) {
        if (envelope == null) {
            CURRENT.remove();
            MDC.remove(CE_ID);
            MDC.remove(CORRELATION_ID);
            MDC.remove(CE_TYPE);
            return;
        }
        CURRENT.set(envelope);
        MDC.put(CE_ID, envelope.id());
        MDC.put(CE_TYPE, envelope.type());
        if (envelope.correlationId() != null) {
            MDC.put(CORRELATION_ID, envelope.correlationId());
        } else {
            MDC.remove(CORRELATION_ID);
        }
    }
}
