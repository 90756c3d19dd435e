# The top Makefile includes fragments two levels deep only; this one pulls
# in the Linux platform's own fragment.
include guest/plat/linux/linux.mk
