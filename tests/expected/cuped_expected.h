/* Written by tests/expected/cuped.py: do not edit. */
static const double CUPED_Y_ARM[] = {3.0, 4.0, 7.5, 2.0, 9.0, 5.5, 6.0};
static const double CUPED_X_ARM[] = {2.0, 3.5, 6.0, 1.0, 8.0, 0.0, 4.0};
static const double CUPED_Y_CONTROL[] = {1.0, 2.5, 6.0, 3.0, 0.5, 4.0};
static const double CUPED_X_CONTROL[] = {1.5, 2.0, 7.0, 3.0, 0.0, 5.0};
#define CUPED_THETA 0.7709631049353138
#define CUPED_X_BAR 3.3076923076923075
#define CUPED_MEAN_ARM 5.1374521501498025
#define CUPED_MEAN_CONTROL 3.00630582482523
#define CUPED_VARIANCE_ARM 2.251214763925273
#define CUPED_VARIANCE_CONTROL 0.1601611503954286
#define CUPED_VARIANCE_REDUCTION 0.7763076171537812
