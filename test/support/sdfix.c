/* SPDX-License-Identifier: BSD-2-Clause */
#include "sdfix.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "fixture.h"

size_t sdfix_sid(uint8_t *out, const char *sid)
{
	unsigned long long v[18];
	size_t n = 0;
	const char *p = sid;
	char *end;

	TS_CHECK(strncmp(p, "S-", 2) == 0);
	p += 2;
	while (n < 18) {
		v[n++] = strtoull(p, &end, 10);
		TS_CHECK(end != p);
		if (*end != '-')
			break;
		p = end + 1;
	}
	TS_CHECK(n >= 2 && n - 2 <= 15);
	out[0] = (uint8_t)v[0];
	out[1] = (uint8_t)(n - 2);
	for (int i = 0; i < 6; i++)
		out[2 + i] = (uint8_t)(v[1] >> (8 * (5 - i)));
	for (size_t i = 2; i < n; i++)
		fx_st32(out + 8 + 4 * (i - 2), (uint32_t)v[i]);
	return 8 + 4 * (n - 2);
}

size_t sdfix_ace(uint8_t *out, uint8_t type, uint8_t flags, uint32_t mask, const char *sid,
                 const uint8_t *object, const uint8_t *inherited)
{
	size_t at = 8;

	memset(out, 0, 8);
	out[0] = type;
	out[1] = flags;
	fx_st32(out + 4, mask);
	if (object != NULL || inherited != NULL) {
		fx_st32(out + 8, (object ? 1u : 0u) | (inherited ? 2u : 0u));
		at = 12;
		if (object) {
			memcpy(out + at, object, 16);
			at += 16;
		}
		if (inherited) {
			memcpy(out + at, inherited, 16);
			at += 16;
		}
	}
	at += sdfix_sid(out + at, sid);
	while (at % 4)
		out[at++] = 0;
	fx_st16(out + 2, (uint16_t)at);
	return at;
}

size_t sdfix_acl(uint8_t *out, const uint8_t *aces, size_t len, uint16_t count)
{
	memset(out, 0, 8);
	out[0] = 2;
	fx_st16(out + 2, (uint16_t)(8 + len));
	fx_st16(out + 4, count);
	if (len > 0)
		memcpy(out + 8, aces, len);
	return 8 + len;
}

size_t sdfix_sd(uint8_t *out, uint16_t control, const char *owner, const char *group,
                const uint8_t *sacl, size_t sacl_len, const uint8_t *dacl, size_t dacl_len)
{
	size_t at = SDF_SD_HEADER;

	memset(out, 0, SDF_SD_HEADER);
	out[0] = 1;
	fx_st16(out + SDF_SD_CONTROL, (uint16_t)(control | SDF_SE_SELF_RELATIVE));
	if (sacl) {
		fx_st32(out + SDF_SD_SACL, (uint32_t)at);
		memcpy(out + at, sacl, sacl_len);
		at += sacl_len;
	}
	if (dacl) {
		fx_st32(out + SDF_SD_DACL, (uint32_t)at);
		memcpy(out + at, dacl, dacl_len);
		at += dacl_len;
	}
	if (owner) {
		fx_st32(out + SDF_SD_OWNER, (uint32_t)at);
		at += sdfix_sid(out + at, owner);
	}
	if (group) {
		fx_st32(out + SDF_SD_GROUP, (uint32_t)at);
		at += sdfix_sid(out + at, group);
	}
	return at;
}

uint32_t sdfix_hash(const uint8_t *p, size_t len)
{
	uint32_t h = 0;

	for (size_t i = 0; i + 4 <= len; i += 4)
		h = (uint32_t)((h << 3) | (h >> 29)) + fx_ld32(p + i);
	return h;
}
