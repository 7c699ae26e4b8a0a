package io.fetchq.store;

/** What a store does with its database schema when it opens. */
public enum SchemaPolicy {
    /** Apply pending migrations (the default: a node brings its database up to date). */
    MIGRATE,
    /** Only check that the schema is current, and refuse to start otherwise (operators who migrate explicitly). */
    VALIDATE
}
