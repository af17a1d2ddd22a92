package io.cairn.meta;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fresh RocksDB per test and mutations applied at increasing log indexes, as the state machine does. */
abstract class MetaDbFixture {
  @TempDir
  Path dir;
  MetaDb db;
  long index;

  @BeforeEach
  void open() {
    db = MetaDb.open(dir.resolve("db"));
  }

  @AfterEach
  void close() {
    db.close();
  }

  MetaResult apply(MetaOp.Mutation op) {
    return MetaApplier.apply(db, op, new MetaDb.Applied(1, ++index));
  }
}
