/* Freestanding: no libc, so lackey's trace is only this program's accesses. */
static char bss_buf[3 * 4096];
void _start(void)
{
    volatile char stack_buf[256];
    for (int i = 0; i < 3 * 4096; i += 1024)
        bss_buf[i] += 1;
    for (int i = 0; i < 256; i += 64)
        stack_buf[i] = (char)i;
    __asm__ volatile("mov $60, %%eax\n xor %%edi, %%edi\n syscall" ::: "rax", "rdi");
}
