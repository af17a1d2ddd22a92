package io.cairn.common;

/** Liveness of a node as agreed through Raft. The code is what is stored; never the ordinal. */
public enum NodeState {
  ALIVE(1),
  SUSPECT(2),
  DEAD(3),
  DECOMMISSIONED(4);

  private final int code;

  NodeState(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static NodeState ofCode(int code) {
    for (NodeState s : values()) {
      if (s.code == code) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown node state code " + code);
  }

  /** A node that may be given new chunks and asked for reads. */
  public boolean usable() {
    return this == ALIVE;
  }
}
