/* SPDX-License-Identifier: MIT */
/*
 * The Afghan model's scenario keys (docs/model.md gives each equation;
 * docs/scenarios.md each key) and the checks of a whole parameter set:
 * the calendar, the dated changes within it, the target shares, the
 * province table and the strongholds named in it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "afghan.h"
#include "models/epstein/par.h"

#define AF(field) offsetof(struct strife__afghan_params, field)
#define ST(field) offsetof(struct strife__afghan_params, st.field)
/* A real-valued key of the strategic layer. */
#define AREAL(path, field, lo, hi, range, unit, def, doc)                      \
  { path, STRIFE__K_REAL, ST(field), lo, hi, NULL, range, unit, def, doc, NULL }
/* An off|on switch of the strategic layer. */
#define ASWITCH(path, field, def, doc)                                         \
  {                                                                            \
    path, STRIFE__K_ENUM, ST(field), 0, 0, "off|on", "off|on", "", def, doc,   \
        NULL                                                                   \
  }

static const struct strife__key_spec table_spec = {.noun = "province table"};

static int province_code(const char *s) {
  size_t n = strlen(s);
  return n >= 5 && n <= 6 && strncmp(s, "AF-", 3) == 0;
}

static const struct strife__key_spec codes_spec = {
    .noun = "province codes",
    .item = "a province code such as \"AF-KAB\"",
    .item_ok = province_code};

/* The members of a dated change, in the order of STRIFE__L_*. */
static const struct strife__member levers[STRIFE__LEVERS] = {
    {"policy", "policy"},
    {"us", "foreign.us"},
    {"china_development", "foreign.china_development"},
    {"pakistan_strikes", "foreign.pakistan_strikes"}};

static const struct strife__key_spec changes_spec = {
    .members = levers, .n_members = STRIFE__LEVERS};

const struct strife__key strife__afghan_keys[STRIFE__AFGHAN_KEYS] = {
    /* path, type, offset, min, max, choices, range, unit, default, doc,
       spec */
    {"run.start", STRIFE__K_DATE, ST(start), 0, 0, NULL, "YYYY-MM-DD", "date",
     "\"2021-09-01\"", "First day simulated.", NULL},
    {"run.end", STRIFE__K_DATE, ST(end), 0, 0, NULL, "YYYY-MM-DD", "date",
     "\"2024-12-31\"", "Last day simulated.", NULL},
    {"data.provinces", STRIFE__K_FILE, AF(provinces), 0, 0, NULL, "file path",
     "", "\"../data/provinces.csv\"",
     "Province table (CSV; data/README.md gives its columns), relative to the "
     "scenario file, or to the working directory when given with --set.",
     &table_spec},
    {"population.scale", STRIFE__K_U32, ST(scale), 1, 1000000, NULL,
     "1..1000000", "people per agent", "100",
     "s: people one citizen agent stands for; 1 simulates every Afghan.", NULL},
    AREAL("population.density", citizen_density, 0.05, 0.9, "[0.05, 0.9]",
          "fraction of cells", "0.7",
          "Share of a province lattice's cells holding a citizen."),
    {"population.vision", STRIFE__K_INT, AF(vision), 1, 20, NULL, "1..20",
     "cells", "7", "Vision v of citizens and security forces.", NULL},
    {"run.kernel", STRIFE__K_ENUM, AF(kernel), 0, 0, "auto|avx512|avx2|c",
     "auto|avx512|avx2|c", "", "\"auto\"",
     "Instruction-set path of the province lattices' update: the fastest "
     "this processor has, or one named; every path gives the same bytes.",
     NULL},
    {"population.threshold", STRIFE__K_REAL, AF(threshold), 0, 1, NULL,
     "[0, 1]", "", "0.1", "T of the Epstein decision rule.", NULL},
    {"population.arrest_constant", STRIFE__K_REAL, AF(k), 0, 100, NULL,
     "[0, 100]", "", "2.3", "k in P = 1 - exp(-k C/A).", NULL},
    {"population.max_jail_days", STRIFE__K_U32, AF(max_jail), 1, 100000, NULL,
     "1..100000", "days", "30", "Longest detention of an arrested citizen.",
     NULL},
    AREAL("population.hardliner_share", hard_share, 0, 1, "[0, 1]",
          "fraction of citizens", "0.15",
          "Share of citizens in the hardliner audience."),
    AREAL("population.grievance", grievance, 0, 10, "[0, 10]", "", "0.4",
          "g in the grievance G = g H h (1 - L) of a citizen with hardship "
          "draw H in a province of economic hardship h, against the "
          "legitimacy L its audience grants."),
    AREAL("population.provocation", provocation, 0, 1000, "[0, 1000]",
          "per jailed share", "0.5",
          "Repression provokes: grievance is multiplied by 1 + provocation "
          "x the share of the province's citizens in jail."),
    AREAL("security.reach", reach, 0, 10000, "[0, 10000]", "agents per member",
          "25",
          "Security agents on the lattices per policing force member (times "
          "0.5 + repression), before dividing by the scale."),
    {"policy", STRIFE__K_ENUM, ST(policy), 0, 0,
     "status-quo|anti-terror-push|middle-road|radicalise",
     "status-quo|anti-terror-push|middle-road|radicalise", "", "\"status-quo\"",
     "The Taliban's course at the start (docs/model.md).", NULL},
    {"policy_changes", STRIFE__K_TIMELINE, ST(changes), 0, 0, NULL,
     "array of {\"date\", \"policy\"}", "", "[]",
     "Later changes of course, in date order within the run.", &changes_spec},
    {"foreign.us", STRIFE__K_ENUM, ST(us), 0, 0,
     "none|humanitarian|intel-sharing|air-support",
     "none|humanitarian|intel-sharing|air-support", "", "\"humanitarian\"",
     "What the US does; each level includes the ones before it (also "
     "--set us=...).",
     NULL},
    ASWITCH("foreign.china_development", china_dev, "\"off\"",
            "Chinese development money, paid while China's view of the "
            "Taliban is good enough and Chinese nationals are not attacked "
            "(also --set china-development=...)."),
    ASWITCH("foreign.pakistan_strikes", pakistan_strikes, "\"on\"",
            "Pakistani airstrikes on border provinces when cross-border "
            "attacks pile up (also --set pakistan-strikes=...)."),
    {"taliban.forces", STRIFE__K_REAL, ST(forces0), 0, 1e6, NULL,
     "[0, 1000000]", "members", "80000", "Taliban forces at the start.", NULL},
    AREAL("taliban.forces_target", forces_target, 0, 1e6, "[0, 1000000]",
          "members", "150000", "Strength the forces grow towards when paid."),
    AREAL("taliban.forces_growth", forces_growth, 0, 1, "[0, 1]", "per day",
          "0.0023", "Rate of growth towards the target when paid."),
    AREAL("taliban.cost_per_member", cost_per_member, 0, 1e6, "[0, 1000000]",
          "US$ a year", "6000", "Cost of one member of the forces."),
    AREAL("taliban.desertion", desertion, 0, 1, "[0, 1]", "per day", "0.002",
          "Share of the forces leaving each day while pay is in arrears."),
    AREAL("taliban.defection", defection, 0, 1, "[0, 1]",
          "per day per unit of legitimacy", "0.0002",
          "Share of the forces leaving a day per unit the hardliner "
          "legitimacy lies below its start."),
    AREAL("isk.fighters", isk0, 0, 1e6, "[0, 1000000]", "fighters", "1600",
          "IS-K fighters at the start."),
    AREAL("isk.prisoners", prisoners, 0, 1e6, "[0, 1000000]", "fighters",
          "1800", "Prisoners released in August 2021 who join IS-K."),
    AREAL("isk.prison_days", prison_days, 1, 10000, "[1, 10000]", "days", "45",
          "Mean delay before a released prisoner joins."),
    AREAL("isk.pool_rate", pool_rate, 0, 1, "[0, 1]",
          "per active hardliner per day", "5e-5",
          "Recruits from the active hardliners of the lattices."),
    AREAL("isk.foreign_rate", foreign_rate, 0, 1000, "[0, 1000]",
          "fighters per day", "1.0",
          "Foreign recruits a day at the starting hardliner legitimacy; they "
          "rise as it falls."),
    AREAL("isk.defect_rate", defect_rate, 0, 1, "[0, 1]", "", "0.1",
          "Share of militants sidelined from constrained or fought groups "
          "who join IS-K."),
    AREAL("isk.taliban_recruits", taliban_join, 0, 1, "[0, 1]", "", "0.1",
          "Share of the Taliban's defectors who join IS-K."),
    AREAL("isk.attrition", attrition, 0, 1, "[0, 1]", "per day", "0.0007",
          "Fighters leaving by death, desertion or return, besides "
          "counter-terrorism."),
    {"isk.slots", STRIFE__K_INT, ST(slots), 1, 32, NULL, "1..32", "slots", "6",
     "Leadership roles decapitation can empty.", NULL},
    AREAL("isk.recovery_days", recovery, 1, 10000, "[1, 10000]", "days", "120",
          "Mean time to refill an emptied leadership slot."),
    AREAL("isk.leader_weight", leader_weight, 0, 1, "[0, 1]", "", "0.5",
          "Share of attack capacity lost when every slot is empty."),
    AREAL("isk.pressure_ref", pressure_ref, 1e-7, 1, "[1e-7, 1]",
          "per fighter per day", "0.0004",
          "Losses to counter-terrorism and strikes, a fighter-day, that "
          "halve the share of IS-K's capacity on attacks at home."),
    AREAL("isk.pressure_days", pressure_days, 1, 10000, "[1, 10000]", "days",
          "90", "Memory of IS-K's losses: the time scale of their smoothing."),
    AREAL("isk.steepness", steepness, 0, 20, "[0, 20]", "", "2",
          "How sharply IS-K retreats from attacks at home as the pressure "
          "passes its reference."),
    AREAL("isk.abroad_share", abroad_share, 0, 1, "[0, 1]", "", "0.15",
          "Share of the capacity withdrawn from home turned to operations "
          "abroad; the rest lies low."),
    AREAL("isk.hide", hide, 0, 1, "[0, 1]", "", "0.5",
          "Protection from removal of the capacity lying low: removal is "
          "multiplied by 1 - hide x the share lying low."),
    AREAL("isk.attack_rate", attack_rate, 0, 1, "[0, 1]",
          "attacks per fighter per day", "1.38e-4",
          "Background attack rate of a fighter at full capacity."),
    AREAL("isk.money", isk_money0, 0, 1e6, "[0, 1000000]", "US$ million", "5",
          "IS-K's money at the start."),
    AREAL("isk.income", isk_income, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "10",
          "IS-K's income: transfers from the Islamic State and extortion."),
    AREAL("isk.cost_per_fighter", isk_cost, 0, 1e6, "[0, 1000000]",
          "US$ a year", "2000", "Upkeep of one IS-K fighter."),
    AREAL("isk.broke_capacity", isk_broke, 0, 1, "[0, 1]", "", "0.5",
          "Share of attack capacity left when IS-K has no money (full with "
          "90 days of upkeep in hand)."),
    AREAL("isk.stronghold_weight", stronghold, 0, 100, "[0, 100]", "", "3",
          "Extra weight of a stronghold province in where fighters are, per "
          "person."),
    {"isk.strongholds", STRIFE__K_CODES, ST(stronghold_codes), 0, 0, NULL,
     "array of province codes", "", "[\"AF-NAN\", \"AF-KNR\", \"AF-KAB\"]",
     "Provinces where IS-K is entrenched.", &codes_spec},
    AREAL("attacks.branching", hawkes.n, 0, 0.99, "[0, 0.99]", "", "0.43",
          "Hawkes branching ratio n: attacks triggered per attack."),
    AREAL("attacks.lifetime_days", hawkes.tau, 0.1, 1000, "[0.1, 1000]", "days",
          "28", "Mean lifetime of an attack's excitation."),
    AREAL("attacks.fatality_exponent", alpha, 1.1, 10, "[1.1, 10]", "", "2.4",
          "Tail exponent alpha of fatalities per attack."),
    {"attacks.fatality_cap", STRIFE__K_U32, ST(cap), 1, 100000, NULL,
     "1..100000", "people", "300", "Most fatalities of one attack.", NULL},
    AREAL("attacks.share_shia", target[STRIFE__T_SHIA], 0, 1, "[0, 1]", "",
          "0.30", "Share of attacks on Shia and Hazara civilians."),
    AREAL("attacks.share_taliban", target[STRIFE__T_TALIBAN], 0, 1, "[0, 1]",
          "", "0.50", "Share of attacks on the Taliban."),
    AREAL("attacks.share_foreign", target[STRIFE__T_FOREIGN], 0, 1, "[0, 1]",
          "", "0.15", "Share of attacks on foreigners and embassies."),
    AREAL("attacks.share_chinese", target[STRIFE__T_CHINESE], 0, 1, "[0, 1]",
          "", "0.05", "Share of attacks on Chinese nationals."),
    AREAL("attacks.abroad_pakistan", abroad_pk, 0, 1, "[0, 1]", "", "0.75",
          "Share of IS-K operations abroad aimed at Pakistan; the others "
          "go to Iran, Tajikistan, Uzbekistan or Russia alike."),
    AREAL("attacks.abroad_exponent", abroad_alpha, 1.1, 10, "[1.1, 10]", "",
          "1.9", "Tail exponent of the fatalities of an operation abroad."),
    AREAL("ct.kill_rate", ct_kill, 0, 1, "[0, 1]",
          "per day per 10,000 CT forces", "0.0004",
          "Share of IS-K fighters removed a day by counter-terrorism."),
    AREAL("ct.decap_rate", decap_rate, 0, 1, "[0, 1]", "per day", "0.017",
          "Decapitation strikes a day at full emphasis with every slot "
          "filled."),
    AREAL("ct.intel_boost", intel_boost, 1, 10, "[1, 10]", "", "1.5",
          "Detection multiplier of US intelligence, when taken."),
    AREAL("ct.air_boost", air_boost, 1, 10, "[1, 10]", "", "1.3",
          "Removal multiplier of US air support, when taken."),
    AREAL("ct.informants", informants, 0, 10, "[0, 10]", "", "0.5",
          "Elasticity of detection to public legitimacy against its start "
          "(informants and tips)."),
    AREAL("ct.learning", learning, 0, 10, "[0, 10]", "", "0.5",
          "Detection gained once counter-terrorism has removed as many "
          "fighters as IS-K had at the start (in proportion before)."),
    AREAL("ct.saturation", saturation, 1, 1e7, "[1, 10000000]", "members",
          "60000",
          "CT forces at which removal is half what it would be in "
          "proportion to them."),
    AREAL("legitimacy.public", pub0, 0, 1, "[0, 1]", "", "0.7",
          "Public legitimacy in every province at the start."),
    AREAL("legitimacy.public_base", pub_base, 0, 1, "[0, 1]", "", "0.7",
          "Public legitimacy it relaxes to with no hardship and a "
          "pragmatic line."),
    AREAL("legitimacy.relax", relax, 0, 1, "[0, 1]", "per day", "0.01",
          "Rate at which every ledger relaxes to its target."),
    AREAL("legitimacy.public_attack", pub_attack, 0, 10, "[0, 10]",
          "per fatality per 100,000 people", "0.02",
          "Fall of a province's public legitimacy with attack deaths."),
    AREAL("legitimacy.public_repression", pub_repress, 0, 10, "[0, 10]",
          "per arrest per 100,000 people", "1e-6",
          "Fall of a province's public legitimacy with arrests."),
    AREAL("legitimacy.public_hardship", pub_hardship, 0, 10, "[0, 10]", "",
          "0.3", "Fall of the public target per unit of extra hardship."),
    AREAL("legitimacy.public_ideology", pub_ideology, 0, 1, "[0, 1]", "", "0.1",
          "Fall of the public target at a fully radical line."),
    AREAL("legitimacy.public_strike", pub_strike, 0, 1, "[0, 1]", "", "0.05",
          "Fall of public legitimacy in a province struck by Pakistan."),
    AREAL("legitimacy.hardliner", hard0, 0, 1, "[0, 1]", "", "0.7",
          "Hardliner legitimacy at the start."),
    AREAL("legitimacy.hardliner_base", hard_base, 0, 1, "[0, 1]", "", "0.6",
          "Hardliner target at a middling line with no group fought, "
          "sheltered or US help."),
    AREAL("legitimacy.hardliner_ideology", hard_ideology, 0, 1, "[0, 1]", "",
          "0.3",
          "Rise of the hardliner target from a middling to a fully "
          "radical line, times 2."),
    AREAL("legitimacy.hardliner_us", hard_us, 0, 1, "[0, 1]", "", "0.15",
          "Fall of the hardliner target while US help is taken."),
    AREAL("legitimacy.hardliner_fight", hard_fight, 0, 1, "[0, 1]", "", "0.05",
          "Fall of the hardliner target per jihadist group fought."),
    AREAL("legitimacy.hardliner_shelter", hard_shelter, 0, 1, "[0, 1]", "",
          "0.03", "Rise of the hardliner target per group tolerated."),
    AREAL("legitimacy.us", int0[STRIFE__S_US], 0, 1, "[0, 1]", "", "0.1",
          "US view of the Taliban at the start, and its base."),
    AREAL("legitimacy.pakistan", int0[STRIFE__S_PAKISTAN], 0, 1, "[0, 1]", "",
          "0.5", "Pakistan's view at the start, and its base."),
    AREAL("legitimacy.china", int0[STRIFE__S_CHINA], 0, 1, "[0, 1]", "", "0.4",
          "China's view at the start, and its base."),
    AREAL("legitimacy.russia", int0[STRIFE__S_RUSSIA], 0, 1, "[0, 1]", "",
          "0.35", "Russia's view at the start, and its base."),
    AREAL("legitimacy.tajikistan", int0[STRIFE__S_TAJIKISTAN], 0, 1, "[0, 1]",
          "", "0.15", "Tajikistan's view at the start, and its base."),
    AREAL("legitimacy.intl_shelter", int_shelter, 0, 1, "[0, 1]", "", "0.1",
          "Fall of a state's target per tolerated group it fears."),
    AREAL("legitimacy.intl_ct", int_ct, 0, 1, "[0, 1]", "", "0.2",
          "Rise of every state's target when counter-terrorism removes all "
          "of IS-K in a year."),
    AREAL("legitimacy.intl_attack", int_attack, 0, 1, "[0, 1]", "", "0.02",
          "Fall of a state's legitimacy per attack crossing into it or on "
          "its nationals."),
    AREAL("legitimacy.intl_repression", int_repress, 0, 1, "[0, 1]",
          "per arrest per 100,000 people", "1e-6",
          "Fall of US legitimacy with arrests."),
    AREAL("money.revenue", revenue, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "2240", "Taliban revenue."),
    AREAL("money.civil_share", civil_share, 0, 1, "[0, 1]", "", "0.7",
          "Share of revenue spent on the civil state."),
    AREAL("money.aid_2022", aid_2022, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "3200",
          "Humanitarian aid received in 2022 (and a year's rate before "
          "it)."),
    AREAL("money.aid_2022_h1", aid_2022_h1, 0, 1e6, "[0, 1000000]",
          "US$ million", "2100",
          "Of money.aid_2022, what was received in its first half."),
    AREAL("money.aid_2023", aid_2023, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "1470", "Humanitarian aid from 2023 on."),
    AREAL("money.us_aid_share", us_aid_share, 0, 1, "[0, 1]", "", "0.35",
          "Share of the aid that is the US's."),
    AREAL("money.leakage", leakage, 0, 1, "[0, 1]", "", "0.05",
          "Share of aid reaching the regime."),
    AREAL("money.scandal_rate", scandal_rate, 0, 100, "[0, 100]",
          "per day per US$ billion a year", "0.05",
          "Chance a day that US aid leaking to the regime becomes a scandal."),
    AREAL("money.scandal_days", scandal_days, 0, 10000, "[0, 10000]", "days",
          "180", "How long a scandal cuts the US share of aid."),
    AREAL("money.china_development", china_money, 0, 1e6, "[0, 1000000]",
          "US$ million a year", "300",
          "Chinese development money while it is paid."),
    AREAL("money.china_view", china_view, 0, 1, "[0, 1]", "", "0.45",
          "Least view of the Taliban (legitimacy.china's ledger) at which "
          "China pays."),
    AREAL("money.china_quiet_days", china_quiet_days, 0, 10000, "[0, 10000]",
          "days", "180",
          "Days after an attack on Chinese nationals without "
          "payment."),
    AREAL("money.hardship_elasticity", hardship_elasticity, 0, 10, "[0, 10]",
          "", "0.5", "Hardship = (economy / economy of 2022)^-elasticity."),
    AREAL("money.compliance", compliance, 0, 10, "[0, 10]", "", "0.25",
          "Elasticity of revenue to public legitimacy against its start."),
    AREAL("money.aid_standing", aid_standing, 0, 100, "[0, 100]",
          "per unit of view", "1",
          "Aid is multiplied by 1 + aid_standing x (US view - its start)."),
    AREAL("groups.ttp", group0[STRIFE__TTP], 0, 1e6, "[0, 1000000]", "fighters",
          "5000", "TTP fighters in Afghanistan at the start."),
    AREAL("groups.aq", group0[STRIFE__AQ], 0, 1e6, "[0, 1000000]", "fighters",
          "400", "Al-Qaeda members at the start."),
    AREAL("groups.imu", group0[STRIFE__IMU], 0, 1e6, "[0, 1000000]", "fighters",
          "200",
          "Fighters of the Central Asian and Uyghur groups (the IMU, "
          "ETIM/TIP and others) at the start."),
    AREAL("groups.fight_rate", fight_rate, 0, 1, "[0, 1]", "per day", "0.002",
          "Share of a fought group lost a day."),
    AREAL("groups.constrain_rate", constrain_rate, 0, 1, "[0, 1]", "per day",
          "0.0005", "Share of a constrained group sidelined a day."),
    AREAL("groups.backlash", backlash, 0, 100, "[0, 100]",
          "attacks per day per 1,000 fought", "0.05",
          "Attacks on the Taliban by groups it fights."),
    AREAL("groups.ttp_attacks", ttp_attacks, 0, 100, "[0, 100]",
          "attacks per day per 1,000", "0.02",
          "TTP attacks in Pakistan from Afghanistan while tolerated (half "
          "constrained, a quarter fought)."),
    AREAL("groups.growth", group_growth, 0, 1, "[0, 1]", "per day", "0.0003",
          "Growth a day of a tolerated group."),
    AREAL("groups.shelter_feed", shelter_feed, 0, 100, "[0, 100]",
          "per day per 1,000", "0.02",
          "Trained fighters a tolerated group passes to IS-K."),
    AREAL("pakistan.strike_attacks", strike_attacks, 1, 100000, "[1, 100000]",
          "attacks", "120",
          "Attacks crossing into Pakistan a strike answers, on average, at "
          "Pakistan's starting view."),
    AREAL("pakistan.strike_kill", strike_kill, 0, 1, "[0, 1]", "", "0.05",
          "Share of IS-K in the province and of the TTP a strike kills."),
};

_Static_assert(sizeof strife__afghan_keys / sizeof strife__afghan_keys[0] ==
                   STRIFE__AFGHAN_KEYS,
               "STRIFE__AFGHAN_KEYS counts the keys");

/* The foreign levers by the names users say them. */
const struct strife__alias strife__afghan_aliases[3] = {
    {"us", "foreign.us"},
    {"china-development", "foreign.china_development"},
    {"pakistan-strikes", "foreign.pakistan_strikes"}};

const struct strife__key *strife__afghan_lever_key(int lever) {
  return strife__keys_find(strife__afghan_keys, STRIFE__AFGHAN_KEYS,
                           levers[lever].key);
}

/* ------------------------------------------------------------------ */
/* Checks                                                             */
/* ------------------------------------------------------------------ */

/* The calendar and the dated changes within it. */
static int check_calendar(struct strife__check *ck,
                          const struct strife__strat_params *st) {
  static const char *const ends[] = {"run.end", "run.start"};
  if (st->end < st->start)
    return strife__check_fail_keys(ck, ends, 2, STRIFE_ESCENARIO,
                                   "expected run.end on or after run.start");
  int64_t days = st->end - st->start + 1;
  if (days > 36600)
    return strife__check_fail_keys(ck, ends, 2, STRIFE_ELIMIT,
                                   "expected a run of at most 36600 days "
                                   "(100 years)");
  strife__check_ticks(ck, days);
  for (int i = 0; i < st->changes.n; i++) {
    if (st->changes.c[i].day > st->start && st->changes.c[i].day <= st->end)
      continue;
    char path[64];
    snprintf(path, sizeof path, "policy_changes[%d].date", i);
    return strife__check_fail(ck, path, STRIFE_ESCENARIO,
                              "expected a date after run.start and up to "
                              "run.end");
  }
  if (st->aid_2022_h1 > st->aid_2022) {
    static const char *const aid[] = {"money.aid_2022_h1", "money.aid_2022"};
    return strife__check_fail_keys(ck, aid, 2, STRIFE_ESCENARIO,
                                   "expected the first half's aid at most the "
                                   "year's");
  }
  double share = 0;
  for (int t = 0; t < STRIFE__N_TARGETS; t++)
    share += st->target[t];
  if (fabs(share - 1.0) > 1e-9) {
    static const char *const keys[] = {
        "attacks.share_shia", "attacks.share_taliban", "attacks.share_foreign",
        "attacks.share_chinese"};
    return strife__check_fail_keys(ck, keys, 4, STRIFE_ESCENARIO,
                                   "the four attacks.share_* must sum to 1, "
                                   "got %.6g",
                                   share);
  }
  return STRIFE_OK;
}

/* The province table, and the strongholds named in it. */
static int check_provinces(struct strife__check *ck,
                           struct strife__afghan_params *af) {
  const char *text, *path;
  size_t len;
  int rc = strife__check_file(ck, "data.provinces", &text, &len, &path);
  if (!rc)
    rc = strife__provinces_parse(text, len, path, &af->prov,
                                 strife__check_diag(ck));
  struct strife__strat_params *st = &af->st;
  st->strongholds = 0;
  for (int i = 0; i < st->stronghold_codes.n && !rc; i++) {
    int at = strife__provinces_find(&af->prov, st->stronghold_codes.code[i]);
    if (at >= 0) {
      st->strongholds |= UINT64_C(1) << at;
      continue;
    }
    char key[64];
    snprintf(key, sizeof key, "isk.strongholds[%d]", i);
    rc = strife__check_fail(ck, key, STRIFE_ESCENARIO,
                            "expected a province of %s, got \"%s\"", path,
                            st->stronghold_codes.code[i]);
  }
  return rc;
}

int strife__afghan_check(void *params, struct strife__check *ck) {
  struct strife__afghan_params *af = params;
  int rc = check_calendar(ck, &af->st);
  if (!rc && !strife__kernel_supported(af->kernel)) {
    static const char *const ks[] = {"run.kernel"};
    rc = strife__check_fail_keys(
        ck, ks, 1, STRIFE_ENOTSUP,
        "this processor or build has no %s path of the lattice update "
        "(\"auto\" takes the fastest it has)",
        strife__kernel_name(af->kernel));
  }
  return rc ? rc : check_provinces(ck, af);
}
