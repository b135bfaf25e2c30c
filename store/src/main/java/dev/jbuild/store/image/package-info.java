/**
 * Images as users name them: resolving names, ids and digests to manifest + config, listing,
 * tagging, removing and writing new images over layers already in the store.
 */
package dev.jbuild.store.image;
