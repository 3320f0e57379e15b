/*
 * user.h - the organization's users and their roles.  Every change is
 * one transaction with its audit event.  Rules: only an owner grants,
 * changes or removes the owner role; the last owner cannot be demoted or
 * disabled.
 */
#ifndef CTP_USER_H
#define CTP_USER_H

#include "auth.h"
#include "err.h"

#include "out.h"

extern const struct ctp_col ctp_user_columns[];
#define CTP_USER_NCOLUMNS 5

int	ctp_user_name_valid(const char *);
int	ctp_user_list(struct ctp_ctx *, struct ctp_out *, struct ctp_error *);
/* Add an active member, or invite one (accepted by that user). */
int	ctp_user_add(struct ctp_ctx *, const char *name, const char *role,
	    int invite, struct ctp_error *);
int	ctp_user_accept(struct ctp_ctx *, struct ctp_error *);
int	ctp_user_set_role(struct ctp_ctx *, const char *name, const char *role,
	    struct ctp_error *);
int	ctp_user_disable(struct ctp_ctx *, const char *name, struct ctp_error *);
/* Add the caller as owner of a new organization (inside a transaction). */
int	ctp_user_add_owner(struct ctp_ctx *, struct ctp_error *);

#endif
