# Sourced by the sweep job scripts: what a GPU sweep adds to a run, from
# TB_GPUS_PER_TASK (0 or unset: a CPU sweep):
#   srun_gpu  srun's options: the GPUs of each task, each task bound to its own (Slurm
#             sets CUDA_VISIBLE_DEVICES per task, so every rank sees GPU 0 of its own),
#             and its cores next to them
#   tb_gpu    tilebragg's: -backend cuda (a rank that finds no GPU stops the job with
#             one line, instead of quietly rendering on the CPU)
#   gpu_tag   the file name's part: _g<GPUs per task>
srun_gpu=() tb_gpu=() gpu_tag=""
if (( ${TB_GPUS_PER_TASK:-0} > 0 )); then
    srun_gpu=(--gpus-per-task="$TB_GPUS_PER_TASK" --gpu-bind=per_task:"$TB_GPUS_PER_TASK" --cpu-bind=cores)
    tb_gpu=(-backend cuda)
    gpu_tag="_g$TB_GPUS_PER_TASK"
fi
