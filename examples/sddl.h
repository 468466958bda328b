/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SDDL ([MS-DTYP] 2.5.1) of a self-relative security descriptor, for the
 * tools (host side: the core hands out the bytes, ntfs_file_security()).
 *
 * What is rendered, in Windows' order O: G: D: S: (a part the descriptor
 * lacks is left out):
 *  - SIDs as their two-letter alias when they are one of the well-known
 *    SIDs that need no domain (SY, BA, BU, WD, CO, CG, AU, AN, ..., and the
 *    integrity levels LW ME MP HI SI), else S-1-AUTHORITY-SUB-... (the
 *    authority in hex, 0x..., when it does not fit 32 bits);
 *  - ACL flags P, AR, AI; a NULL ACL (present, no offset) as
 *    NO_ACCESS_CONTROL;
 *  - ACEs as (type;flags;rights;object guid;inherited object guid;sid):
 *    types A D AU AL OA OD OU OL XA XD ZA XU ML RA SP, any other as 0xNN;
 *    flags OI CI NP IO ID SA FA, other bits as 0xNN after them;
 *    rights FA FR FW FX when the mask is exactly FILE_ALL_ACCESS,
 *    FILE_GENERIC_READ, _WRITE or _EXECUTE, NW NR NX on mandatory labels,
 *    else the letters GA GR GW GX RC SD WD WO RP WP CC DC LC SW LO DT CR
 *    when they cover the mask (none for 0), else 0x and the mask in hex;
 *    GUIDs in their usual lowercase form.
 * Not rendered: the conditional expression of callback ACEs, and the
 * attribute of resource-attribute ACEs (their ACE is printed without it).
 */
#ifndef NTFS_EXAMPLES_SDDL_H
#define NTFS_EXAMPLES_SDDL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Render the @len bytes at @sd (any bytes: each offset and size is checked
 * here again) into @out, @cap bytes, NUL-terminated when @cap > 0 and cut
 * short if need be, as snprintf does. Returns the length of the whole
 * string (without its NUL), or -1 if the bytes are not a self-relative
 * descriptor (revision 1, SE_SELF_RELATIVE, every part inside @len); then
 * @out holds "" when @cap > 0.
 */
long sddl_render(const uint8_t *sd, size_t len, char *out, size_t cap);

#endif /* NTFS_EXAMPLES_SDDL_H */
