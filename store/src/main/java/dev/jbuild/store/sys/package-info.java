/**
 * The only place jbuild calls native code: a small JNA facade over mount, umount2, mknod and the
 * l*xattr calls. Everything else uses the JDK ({@code unix:*} attributes for stat, chmod with
 * setuid bits and lchown).
 */
package dev.jbuild.store.sys;
