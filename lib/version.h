#ifndef CTP_VERSION_H
#define CTP_VERSION_H
#define CTP_VERSION "0.1.0"
#endif
