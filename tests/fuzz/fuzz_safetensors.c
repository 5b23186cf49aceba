// SPDX-License-Identifier: MIT
// libFuzzer target for the safetensors reader: parse, convert every tensor to float32, and
// load the file as parameters of a small fixed architecture. Any input must end in 0 or a
// clean error, never a fault, with allocations bounded by the input size.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zara/nn.h"

static zr_nn_arch_t *arch;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    if (!arch) {
        const char *js = "{\"class_name\":\"Sequential\",\"config\":{\"layers\":["
                         "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d1\",\"units\":2,\"activation\":\"tanh\","
                         "\"batch_input_shape\":[null,1]}},"
                         "{\"class_name\":\"Dense\",\"config\":{\"name\":\"d2\",\"units\":1}}]}}";
        if (zr_nn_arch_parse(&arch, js, strlen(js), NULL, err, sizeof err))
            abort();
    }
    zr_nn_st_t st;
    if (zr_nn_st_parse(&st, data, size, err, sizeof err) == 0) {
        for (size_t i = 0; i < st.count; i++) {
            if (st.tensors[i].count > size)
                abort(); /* the reader must have refused it */
            float *v = malloc((st.tensors[i].count + 1) * sizeof(float));
            if (!v)
                abort();
            (void)zr_nn_st_read_f32(&st.tensors[i], v, err, sizeof err);
            free(v);
        }
        zr_nn_st_cleanup(&st);
    }
    zr_nn_params_t *p = NULL;
    if (zr_nn_params_load(&p, arch, data, size, err, sizeof err) == 0) {
        zr_buf_t b;
        zr_buf_init(&b, 1 << 20);
        if (zr_nn_params_save(p, &b) != 0)
            abort();
        zr_buf_cleanup(&b);
    }
    zr_nn_params_free(p);
    return 0;
}
