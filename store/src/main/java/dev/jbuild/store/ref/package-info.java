/**
 * Image references ({@code [registry/]repository[:tag][@digest]}) parsed per the docker reference
 * grammar and normalised the way docker does ({@code busybox} = {@code
 * docker.io/library/busybox:latest}). A parsed {@link dev.jbuild.store.ref.ImageRef} is always valid
 * and prints back to a string that parses to the same value.
 */
package dev.jbuild.store.ref;
