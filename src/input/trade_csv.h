/*
 * trade_csv.h -- the loader of the trade counterfactual's CSV files
 * (ent_trade_problem_load_files / _buffers in entente.h) and, for
 * bench_trade, the same loader with every number read by strtod (the
 * implementation before the exact fast path of base/num.c).
 */
#ifndef ENT_TRADE_CSV_H
#define ENT_TRADE_CSV_H

#include "structural/trade.h"

ENT_LOCAL ent_status ent_trade_problem_load_files_ref(const char *flows_path,
                                                      const char *shock_path,
                                                      ent_trade_problem **out,
                                                      ent_diag *d);

#endif /* ENT_TRADE_CSV_H */
