/**
 * The workload drivers shared by Cairn and its peers. Compiled for Java 17 with no dependency beyond the
 * JDK, because the HDFS peer runs them in a JDK 17 process (Hadoop's UGI calls Subject.getSubject, which
 * JDK 23+ no longer supports); the Cairn side runs the very same code, so both see identical load.
 */
package io.cairn.bench.core;
