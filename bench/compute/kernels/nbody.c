/*
 * nbody - the classic five-body (Sun and four gas giants) simulation with a
 * symplectic Euler step; prints the bits of the energy before and after.
 */
#include <math.h>

#include "bench.h"

#define NBODIES 5

static const double PI = 3.141592653589793;
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

struct body {
	double x, y, z, vx, vy, vz, mass;
};

static struct body bodies[NBODIES];

static void init_bodies(void)
{
	static const double init[NBODIES][7] = {
		{0, 0, 0, 0, 0, 0, 1},
		{4.84143144246472090e+00, -1.16032004402742839e+00,
		 -1.03622044471123109e-01, 1.66007664274403694e-03,
		 7.69901118419740425e-03, -6.90460016972063023e-05,
		 9.54791938424326609e-04},
		{8.34336671824457987e+00, 4.12479856412430479e+00,
		 -4.03523417114321381e-01, -2.76742510726862411e-03,
		 4.99852801234917238e-03, 2.30417297573763929e-05,
		 2.85885980666130812e-04},
		{1.28943695621391310e+01, -1.51111514016986312e+01,
		 -2.23307578892655734e-01, 2.96460137564761618e-03,
		 2.37847173959480950e-03, -2.96589568540237556e-05,
		 4.36624404335156298e-05},
		{1.53796971148509165e+01, -2.59193146099879641e+01,
		 1.79258772950371181e-01, 2.68067772490389322e-03,
		 1.62824170038242295e-03, -9.51592254519715870e-05,
		 5.15138902046611451e-05},
	};
	double px = 0, py = 0, pz = 0;
	int i;

	for (i = 0; i < NBODIES; i++) {
		struct body *b = &bodies[i];
		b->x = init[i][0], b->y = init[i][1], b->z = init[i][2];
		b->vx = init[i][3] * DAYS_PER_YEAR;
		b->vy = init[i][4] * DAYS_PER_YEAR;
		b->vz = init[i][5] * DAYS_PER_YEAR;
		b->mass = init[i][6] * SOLAR_MASS;
		px += b->vx * b->mass, py += b->vy * b->mass, pz += b->vz * b->mass;
	}
	bodies[0].vx = -px / SOLAR_MASS;
	bodies[0].vy = -py / SOLAR_MASS;
	bodies[0].vz = -pz / SOLAR_MASS;
}

static void advance(double dt)
{
	int i, j;

	for (i = 0; i < NBODIES; i++) {
		struct body *a = &bodies[i];
		for (j = i + 1; j < NBODIES; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * sqrt(d2));
			a->vx -= dx * b->mass * mag;
			a->vy -= dy * b->mass * mag;
			a->vz -= dz * b->mass * mag;
			b->vx += dx * a->mass * mag;
			b->vy += dy * a->mass * mag;
			b->vz += dz * a->mass * mag;
		}
	}
	for (i = 0; i < NBODIES; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

static double energy(void)
{
	double e = 0;
	int i, j;

	for (i = 0; i < NBODIES; i++) {
		struct body *a = &bodies[i];
		e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
		for (j = i + 1; j < NBODIES; j++) {
			struct body *b = &bodies[j];
			double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
			e -= a->mass * b->mass / sqrt(dx * dx + dy * dy + dz * dz);
		}
	}
	return e;
}

int main(int argc, char **argv)
{
	uint32_t steps = bench_reps(80000, bench_scale(argc, argv)) * 100, i;
	uint64_t h = BENCH_HASH_INIT;

	init_bodies();
	h = bench_mix_double(h, energy());
	for (i = 0; i < steps; i++)
		advance(0.01);
	h = bench_mix_double(h, energy());
	bench_report("nbody", h);
	return 0;
}
