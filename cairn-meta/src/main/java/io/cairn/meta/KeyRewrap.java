package io.cairn.meta;

/**
 * One file version's data key, wrapped anew under another master key (see {@link MetaStore#rewrapKeys}).
 *
 * @param bucket bucket of the file
 * @param key key of the file
 * @param fileId the version re-wrapped; a newer version at the same key is left alone
 * @param wrappedKey the data key wrapped under the new master key (never the key itself)
 */
public record KeyRewrap(String bucket, String key, String fileId, String wrappedKey) {}
